using KernelSoak.Reports;

namespace KernelSoak.Reports.Tests;

/// <summary>The fast whole-file scanner must find exactly what feeding every line finds.</summary>
public class ScannerTests
{
    private static string CorpusRoot => Path.Combine(AppContext.BaseDirectory, "testdata", "corpus");

    private static IEnumerable<string> Files() =>
        Directory.GetDirectories(CorpusRoot).SelectMany(Directory.GetDirectories).Order(StringComparer.Ordinal)
            .SelectMany(d => new[] { "console.txt", "dmesg.txt" }.Select(f => Path.Combine(d, f))).Where(File.Exists);

    private static string Describe(KernelReport r) => $"{r.LineNumber} {r.Class} {r.Title} | {r.FirstLine} | {r.GuiltyFunction} | {r.Timestamp} | {r.Text}";

    private static void AssertSame(string text)
    {
        var lineByLine = ReportClassifier.Classify(text.Split('\n') is var lines && text.EndsWith('\n') ? lines[..^1] : lines, "log");
        var scanned = ReportScanner.Scan(new StringReader(text), "log");
        Assert.That(scanned.Select(Describe), Is.EqualTo(lineByLine.Select(Describe)));
    }

    [Test]
    public void Every_corpus_file_gives_the_same_reports_as_feeding_every_line()
    {
        foreach (var file in Files())
            AssertSame(File.ReadAllText(file));
    }

    [Test]
    public void All_corpus_files_in_one_log_with_noise_between_and_a_last_line_without_newline()
    {
        var noise = string.Concat(Enumerable.Range(0, 500).Select(i => $"[ {i}.000000] virtio_net virtio0 eth0: link up, BUG-free line {i}, list of things\n"));
        var text = string.Join(noise, Files().Select(File.ReadAllText)) + "[ 99.0] the end, no newline";
        AssertSame(text);
        Assert.That(ReportScanner.Scan(new StringReader(text), "log"), Has.Count.GreaterThan(40));
    }

    [Test]
    public void A_log_bigger_than_the_scanner_buffer_with_a_very_long_line_loses_nothing()
    {
        var report = File.ReadAllText(Files().First(f => f.Contains("lkdtm_READ_AFTER_FREE", StringComparison.Ordinal)));
        var text = new string('x', 3 << 20) + "\n" + string.Concat(Enumerable.Repeat("[ 1.0] quiet line\n", 200_000)) + report;
        AssertSame(text);
        // A line that ends a few chars short of a full buffer (what carries over nearly fills it), from bytes.
        var tight = "[ 0.5] short\n" + new string('y', (1 << 20) - 20) + "\n" + report;
        var fromBytes = new List<KernelReport>();
        ReportScanner.Scan(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(tight)), "log", fromBytes.Add);
        Assert.That(fromBytes.Select(Describe), Is.EqualTo(ReportScanner.Scan(new StringReader(tight), "log").Select(Describe)));
        Assert.That(fromBytes, Is.Not.Empty, "the report after the long line is found");
    }

    [Test]
    public void UTF8_bytes_decode_to_the_same_reports_with_characters_split_between_reads()
    {
        // Multi-byte characters on every line of a report repeated over several MiB: the 1 MiB reads
        // split some of them, inside reports, whose texts are compared.
        var report = File.ReadAllText(Files().First(f => f.Contains("lkdtm_READ_AFTER_FREE", StringComparison.Ordinal)));
        var marked = string.Join('\n', report.Split('\n').Select((l, i) => l.Length == 0 ? l : $"{l} →é{new string('✓', i % 3)}{new string('→', 60)}"));
        var text = string.Concat(Enumerable.Repeat(marked, 4 * (1 << 20) / marked.Length + 1)) + "[ 1.0] “the end”";
        var fromBytes = new List<KernelReport>();
        ReportScanner.Scan(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), "log", fromBytes.Add);
        Assert.That(fromBytes.Select(Describe), Is.EqualTo(ReportScanner.Scan(new StringReader(text), "log").Select(Describe)));
        Assert.That(string.Concat(fromBytes.Select(r => r.Text)), Does.Contain("→é✓✓").And.Not.Contain("\uFFFD"));
    }

    [Test]
    public void A_caller_that_keeps_one_text_per_title_gets_the_same_book()
    {
        var text = string.Concat(Enumerable.Repeat(string.Concat(Files().Select(File.ReadAllText)), 3));
        var everything = new ReportBook([]);
        ReportScanner.Scan(new StringReader(text), "log", r => everything.Add(r));
        var firstTexts = new ReportBook([]);
        var empty = 0;
        ReportScanner.Scan(new StringReader(text), "log", r => { empty += r.Lines.Count == 0 ? 1 : 0; firstTexts.Add(r); }, keepText: t => !firstTexts.Knows(t));
        string Entry(ReportBook.Entry e) => $"{e.Count} {Describe(e.First)}";
        Assert.That(firstTexts.Reports.Select(Entry), Is.EqualTo(everything.Reports.Select(Entry)));
        Assert.That(empty, Is.EqualTo(everything.Reports.Sum(e => e.Count - 1)), "every repeat of a known title came without its text");
    }
}
