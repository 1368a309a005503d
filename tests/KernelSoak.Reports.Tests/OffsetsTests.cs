using System.Text;
using KernelSoak.Reports;

namespace KernelSoak.Reports.Tests;

/// <summary>
/// A report's byte offsets (JSON "start"/"end", syzkaller's StartPos/EndPos) slice exactly its lines out of
/// the raw log: from the start of its first line (the prelude's) to the end of its last kept line.
/// </summary>
public class OffsetsTests
{
    private static string CorpusRoot => Path.Combine(AppContext.BaseDirectory, "testdata", "corpus");

    private static IEnumerable<string> CorpusFiles() =>
        Directory.GetDirectories(CorpusRoot).SelectMany(Directory.GetDirectories).Order(StringComparer.Ordinal)
            .SelectMany(d => new[] { "console.txt", "dmesg.txt" }.Select(f => Path.Combine(d, f))).Where(File.Exists);

    private static List<KernelReport> Scan(byte[] log)
    {
        var reports = new List<KernelReport>();
        ReportScanner.Scan(new MemoryStream(log), "log", reports.Add);
        return reports;
    }

    /// <summary>The raw lines [start, end) holds: whole lines, as many as the report spans, their messages the report's text in order.</summary>
    private static void AssertSlicesItsLines(byte[] log, KernelReport r, string where)
    {
        Assert.That(r.StartOffset, Is.Not.Null, where);
        Assert.That(r.EndOffset, Is.Not.Null, where);
        var (start, end) = ((int)r.StartOffset!.Value, (int)r.EndOffset!.Value);
        Assert.That(start, Is.InRange(0, end), where);
        Assert.That(end, Is.LessThanOrEqualTo(log.Length), where);
        Assert.That(start == 0 || log[start - 1] == '\n', $"{where}: starts a line");
        Assert.That(end == log.Length || log[end] is (byte)'\n' or (byte)'\r', $"{where}: ends a line");
        var lines = Encoding.UTF8.GetString(log, start, end - start).Split('\n');
        Assert.That(lines, Has.Length.EqualTo(r.EndLineNumber - (r.LineNumber - r.PreludeLines) + 1), $"{where}: the lines the report spans");
        var messages = lines.Select(l => LogLine.Parse(l).Text).Select(m => m.Length > ReportClassifier.MaxLineChars ? m[..ReportClassifier.MaxLineChars] + ReportClassifier.CutMark : m).ToList();
        Assert.That(messages[0], Is.EqualTo(r.Lines[0]), $"{where}: first line");
        Assert.That(messages[^1], Is.EqualTo(r.Lines[^1]), $"{where}: last line");
        // Other tasks' lines interleaved with the report are in the slice and not in the text: the text is a subsequence.
        var at = 0;
        foreach (var line in r.Lines)
        {
            while (at < messages.Count && messages[at] != line) at++;
            Assert.That(at, Is.LessThan(messages.Count), $"{where}: text line '{line}' in the slice, in order");
            at++;
        }
    }

    [Test]
    public void Every_report_of_the_corpus_slices_its_lines_out_of_the_raw_file()
    {
        var count = 0;
        foreach (var file in CorpusFiles())
        {
            var log = File.ReadAllBytes(file);
            foreach (var r in Scan(log))
            {
                AssertSlicesItsLines(log, r, $"{file}:{r.LineNumber}");
                count++;
            }
        }
        Assert.That(count, Is.GreaterThan(40));
    }

    [Test]
    public void Every_report_of_syzkallers_shared_corpus_slices_its_lines_out_of_the_log()
    {
        if (SyzkallerCorpusTests.DataDir() is not { } dir)
        {
            Assert.Ignore("../shared/syzkaller-reports is not here");
            return;
        }
        var count = 0;
        foreach (var file in Directory.GetFiles(dir).Where(f => Path.GetFileName(f).All(char.IsAsciiDigit)))
        {
            var log = SyzkallerCorpusTests.Parse(file).Log;
            foreach (var r in Scan(log))
            {
                AssertSlicesItsLines(log, r, $"{Path.GetFileName(file)}:{r.LineNumber}");
                count++;
            }
        }
        Assert.That(count, Is.GreaterThan(300));
    }

    [Test]
    public void Offsets_count_bytes_with_multibyte_UTF8_CRLF_and_NUL_bytes_before_the_report()
    {
        var file = CorpusFiles().First(f => f.Contains("lkdtm_READ_AFTER_FREE", StringComparison.Ordinal));
        var plain = File.ReadAllBytes(file).Where(b => b != '\r').ToArray(); // LF only here: CRLF is what the test adds
        var expected = Scan(plain);
        // Serial-console noise before it: NULs and 0xFF at a reset, text in several scripts (2-, 3- and 4-byte sequences).
        var noise = "\0\0\0"u8.ToArray().Concat(new byte[] { 0xFF, 0xFE }).Concat(
            Encoding.UTF8.GetBytes("[    0.100000] Grüße, ✓ 日本語 𝄞 console noise\n\0\0[    0.100001] ßßß\n")).ToArray();
        var log = noise.Concat(plain).SelectMany(b => b == '\n' ? new[] { (byte)'\r', b } : [b]).ToArray();
        var reports = Scan(log);
        Assert.That(reports.Select(r => r.Title), Is.EqualTo(expected.Select(r => r.Title)));
        Assert.That(reports, Is.Not.Empty);
        for (var i = 0; i < reports.Count; i++)
        {
            AssertSlicesItsLines(log, reports[i], $"report {i}");
            var (start, end) = ((int)reports[i].StartOffset!.Value, (int)reports[i].EndOffset!.Value);
            var (plainStart, plainEnd) = ((int)expected[i].StartOffset!.Value, (int)expected[i].EndOffset!.Value);
            // Each line before the report's start gained a '\r', and the noise's bytes precede it all.
            var linesBefore = plain.AsSpan(0, plainStart).Count((byte)'\n') + 2;
            Assert.That(start, Is.EqualTo(plainStart + noise.Length + linesBefore), "start, in bytes");
            Assert.That(log.AsSpan(start, end - start).ToArray().Where(b => b != '\r'), Is.EqualTo(plain.AsSpan(plainStart, plainEnd - plainStart).ToArray()),
                "the same report text, CRs aside");
        }
    }

    [Test]
    public void Reports_fed_as_strings_have_no_offsets()
    {
        var text = File.ReadAllText(CorpusFiles().First(f => f.Contains("lkdtm_READ_AFTER_FREE", StringComparison.Ordinal)));
        var reports = ReportScanner.Scan(new StringReader(text), "log");
        Assert.That(reports, Is.Not.Empty);
        Assert.That(reports.Select(r => r.StartOffset), Is.All.Null);
    }
}
