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
    public void A_cut_here_line_at_the_end_of_a_read_block_stays_the_prelude_of_the_header_after_it()
    {
        // The scanner reads 1 MiB blocks: "[ cut here ]" as the block's last line, the header as the next block's first.
        var file = Files().First(f => f.EndsWith("08-lkdtm_WARNING_MESSAGE/dmesg.txt", StringComparison.Ordinal));
        var report = File.ReadAllText(file);
        var cut = report.IndexOf("[ cut here ]", StringComparison.Ordinal);
        var cutLineEnd = report.IndexOf('\n', cut) + 1;
        var beforeEnd = System.Text.Encoding.UTF8.GetByteCount(report[..cutLineEnd]);
        var fill = (1 << 20) - beforeEnd;
        var line = "[    0.000001] filler\n";
        var filler = string.Concat(Enumerable.Repeat(line, fill / line.Length)) + new string('f', fill % line.Length - 1) + "\n";
        var text = filler + report;
        Assert.That(System.Text.Encoding.UTF8.GetByteCount(text[..(filler.Length + cutLineEnd)]), Is.EqualTo(1 << 20), "the cut-here line ends the first block");
        var fromBytes = new List<KernelReport>();
        ReportScanner.Scan(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), "log", fromBytes.Add);
        var lineByLine = ReportClassifier.Classify(text.Split('\n')[..^1], "log");
        Assert.That(fromBytes.Select(Describe), Is.EqualTo(lineByLine.Select(Describe)));
        Assert.That(fromBytes[0].PreludeLines, Is.GreaterThan(0), "the report keeps its cut-here line");
    }

    [TestCase(9)]
    [TestCase(100)]
    public void A_line_of_many_megabytes_is_cut_and_marked_in_bounded_memory(int megabytes)
    {
        // Issue 16: the buffer doubled on every read without a newline (a 9 MiB line took 2.1 GB; 11 MiB failed).
        var report = File.ReadAllText(Files().First(f => f.Contains("lkdtm_READ_AFTER_FREE", StringComparison.Ordinal)));
        var head = "[ 0.5] before\n"u8.ToArray();
        var tail = System.Text.Encoding.UTF8.GetBytes("\n" + report);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var reports = new List<KernelReport>();
        ReportScanner.Scan(new OneLongLine(head, (long)megabytes << 20, tail), "log", reports.Add);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var expected = ReportScanner.Scan(new StringReader(report), "log");
        Assert.Multiple(() =>
        {
            Assert.That(allocated, Is.LessThan(64L << 20), "bytes allocated while scanning");
            Assert.That(reports.Select(r => r.Title), Is.EqualTo(expected.Select(r => r.Title)), "the report after the line is found");
            Assert.That(reports.Select(r => r.LineNumber), Is.EqualTo(expected.Select(r => r.LineNumber + 2)), "the cut line counts as one line");
        });
    }

    [Test]
    public void A_line_longer_than_the_buffer_holding_a_header_is_cut_with_a_mark()
    {
        var line = "[ 1.0] BUG: KCSAN: data-race in f / g" + new string('z', ReportScanner.MaxBuffer + 5000);
        var reports = ReportScanner.Scan(new StringReader(line + "\n[ 2.0] next\n"), "log");
        var header = reports.Single().Lines[0];
        Assert.That(header, Does.EndWith(new string('z', 100) + ReportClassifier.CutMark), "the report keeps the line's start, marked as cut");
        Assert.That(header, Has.Length.EqualTo(ReportClassifier.MaxLineChars + ReportClassifier.CutMark.Length));
        Assert.That(reports.Single().Lines, Has.Count.EqualTo(2), "the rest of the cut line is dropped; the next line follows");
    }

    [TestCase((byte)0x00)]
    [TestCase((byte)0xFF)]
    public void A_stray_byte_before_the_timestamp_does_not_hide_the_report(byte stray)
    {
        // Serial consoles print NULs and 0xFF at a reset, right before the kernel's next line.
        var log = "[    1.229000] booting\n"u8.ToArray().Concat([stray]).Concat(
            "[    1.230000] BUG: kernel NULL pointer dereference, address: 0000000000000000\n[    1.230001] RIP: 0010:corpus_null_deref+0x12/0x30\n[    1.230002] Call Trace:\n[    1.230003]  <TASK>\n[    1.230004]  corpus_trigger_write+0x84/0x90\n[    1.230005]  vfs_write+0x124/0x25c\n"u8.ToArray()).ToArray();
        var reports = new List<KernelReport>();
        ReportScanner.Scan(new MemoryStream(log), "serial", reports.Add);
        Assert.That(reports.Select(r => r.Title), Is.EqualTo(new[] { "BUG: unable to handle kernel NULL pointer dereference in corpus_null_deref" }));
        Assert.That(reports[0].Timestamp, Is.EqualTo(1.23));
    }

    /// <summary>A log of one huge line, generated as it is read (the test itself holds no 100 MB).</summary>
    private sealed class OneLongLine(byte[] head, long length, byte[] tail) : Stream
    {
        private long _position;
        private long Total => head.Length + length + tail.Length;
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, Total - _position);
            for (var i = 0; i < n; i++, _position++)
                buffer[offset + i] = _position < head.Length ? head[_position] : _position < head.Length + length ? (byte)'A' : tail[_position - head.Length - length];
            return n;
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => Total;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
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
