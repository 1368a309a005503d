using System.Text.Json;
using KernelSoak.Reports;

namespace KernelSoak.Reports.Tests;

/// <summary>
/// Real kernel reports captured on the emulated board (arm64) and an x86_64 QEMU, each labelled by
/// construction (expected.json): the first report's class, title line, guilty function and syzkaller title.
/// </summary>
public class CorpusTests
{
    private static string CorpusDir => Path.Combine(TestContext.CurrentContext.TestDirectory, "testdata", "corpus");

    public static IEnumerable<TestCaseData> Cases()
    {
        var root = Path.Combine(AppContext.BaseDirectory, "testdata", "corpus");
        foreach (var dir in Directory.GetDirectories(root).SelectMany(Directory.GetDirectories).Order(StringComparer.Ordinal))
            foreach (var file in new[] { "console.txt", "dmesg.txt" })
                if (File.Exists(Path.Combine(dir, file)))
                    yield return new TestCaseData(Path.GetRelativePath(root, dir), file).SetName($"{Path.GetRelativePath(root, dir)}/{file}");
    }

    private sealed record Expected(string Class, string FirstLine, string GuiltyFunction, bool? GuiltyInReport, string? SyzTitle);

    private static Expected Load(string caseDir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(CorpusDir, caseDir, "expected.json")));
        var e = doc.RootElement;
        string Str(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        return new Expected(Str("class"), Str("first_line"), Str("guilty_function"),
            e.TryGetProperty("guilty_in_report", out var g) && g.ValueKind is JsonValueKind.True or JsonValueKind.False ? g.GetBoolean() : null,
            e.TryGetProperty("syz_title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null);
    }

    [TestCaseSource(nameof(Cases))]
    public void First_report_is_classified_as_labelled(string caseDir, string file)
    {
        var expected = Load(caseDir);
        var reports = ReportClassifier.Classify(File.ReadLines(Path.Combine(CorpusDir, caseDir, file)), file);
        if (expected.Class == "NONE")
        {
            Assert.That(reports, Is.Empty, "no report where the kernel printed none");
            return;
        }
        Assert.That(reports, Is.Not.Empty, "a report was found");
        var first = reports[0];
        Assert.Multiple(() =>
        {
            Assert.That(first.ClassName, Is.EqualTo(expected.Class), "class");
            Assert.That(first.FirstLine, Is.EqualTo(expected.FirstLine), "first line");
            if (expected.GuiltyInReport == true)
                Assert.That(first.Culprit, Is.EqualTo(expected.GuiltyFunction), "the function at fault");
            if (expected.SyzTitle is not null && expected.GuiltyInReport == true)
                Assert.That(first.Title, Is.EqualTo(expected.SyzTitle), "title");
        });
    }

    [Test]
    public void Panic_is_found_in_pstore_records()
    {
        var record = Directory.GetFiles(Path.Combine(CorpusDir, "arm64-6.1", "28-lkdtm_PANIC"), "pstore-dmesg-*").Order().First();
        var reports = ReportClassifier.Classify(File.ReadLines(record), "pstore");
        Assert.That(reports.Select(r => r.Title), Does.Contain("kernel panic: dumptest"));
        Assert.That(reports.First(r => r.Class == ReportClass.Panic).Source, Is.EqualTo("pstore"));
    }

    [Test]
    public void Corpus_has_at_least_forty_report_texts()
    {
        Assert.That(Cases().Count(), Is.GreaterThanOrEqualTo(40));
    }
}
