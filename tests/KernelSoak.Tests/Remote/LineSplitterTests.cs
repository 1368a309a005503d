using System.Text;
using KernelSoak.Remote;

namespace KernelSoak.Tests.Remote;

/// <summary>The one line splitter of every live stream: bounded whatever arrives, never throwing on content.</summary>
public class LineSplitterTests
{
    private static readonly Encoding Utf8 = new UTF8Encoding(false);

    private static List<string> Split(LineSplitter splitter, params byte[][] chunks)
    {
        var lines = new List<string>();
        foreach (var chunk in chunks) splitter.Feed(chunk, lines.Add);
        splitter.Flush(lines.Add);
        return lines;
    }

    private static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    [Test]
    public void A_line_split_across_chunks_at_every_point_comes_out_whole()
    {
        var text = B("[   12.345678] BUG: KASAN: slab-use-after-free in foo+0x1c/0x40\nnext line\n");
        for (var cut = 0; cut <= text.Length; cut++)
        {
            var lines = Split(new LineSplitter(Utf8), text[..cut], text[cut..]);
            Assert.That(lines, Is.EqualTo(new[] { "[   12.345678] BUG: KASAN: slab-use-after-free in foo+0x1c/0x40", "next line" }), $"cut at {cut}");
        }
    }

    [Test]
    public void One_byte_at_a_time_gives_the_same_lines_and_a_utf8_character_split_between_chunks_stays_one()
    {
        var text = Utf8.GetBytes("mélange € 𝄞\r\nzwei\n");
        var lines = Split(new LineSplitter(Utf8), [.. text.Select(b => new[] { b })]);
        Assert.That(lines, Is.EqualTo(new[] { "mélange € 𝄞", "zwei" }));
    }

    [Test]
    public void CRLF_and_CR_CR_LF_lose_their_CRs_and_a_CR_inside_a_line_stays()
    {
        var lines = Split(new LineSplitter(Encoding.Latin1), B("one\r\ntwo\r\r\nthree\rstill three\n\r\n"));
        Assert.That(lines, Is.EqualTo(new[] { "one", "two", "three\rstill three", "" }));
    }

    [Test]
    public void NUL_and_0xFF_bytes_pass_through_as_characters_and_never_throw()
    {
        var bytes = new byte[] { 0, 0xFF, (byte)'[', (byte)' ', (byte)'1', (byte)']', (byte)'\n', 0xFF, 0xFE, 0xC3, (byte)'\n', 0, (byte)'\n' };
        Assert.That(Split(new LineSplitter(Encoding.Latin1), bytes), Is.EqualTo(new[] { "\0\u00ff[ 1]", "\u00ff\u00fe\u00c3", "\0" }));
        Assert.That(Split(new LineSplitter(Utf8), bytes), Is.EqualTo(new[] { "\0\ufffd[ 1]", "\ufffd\ufffd\ufffd", "\0" }), "invalid UTF-8 becomes replacement characters, not an exception");
    }

    [Test]
    public void A_line_of_exactly_the_cap_is_whole_and_one_byte_more_is_cut_and_marked()
    {
        var splitter = new LineSplitter(Encoding.Latin1, 16);
        var exact = new string('a', 16);
        Assert.That(Split(splitter, B(exact + "\n")), Is.EqualTo(new[] { exact }));
        Assert.That(splitter.CutLines, Is.Zero);
        // The cap reached with no newline yet, the newline in the next chunk: still whole.
        Assert.That(Split(splitter, B(exact), B("\nafter\n")), Is.EqualTo(new[] { exact, "after" }));

        var lines = Split(splitter, B(exact + "b\nafter\n"));
        Assert.That(lines, Is.EqualTo(new[] { exact + splitter.CutMark, "after" }));
        Assert.That(splitter.CutLines, Is.EqualTo(1));
        Assert.That(splitter.CutMark, Does.Contain("line cut").And.Contain("16 bytes").And.Contain("raw log"));
    }

    [Test]
    public void The_rest_of_a_cut_line_is_dropped_up_to_its_newline_over_any_number_of_chunks()
    {
        var splitter = new LineSplitter(Encoding.Latin1, 8);
        var chunks = new List<byte[]> { B("before\nHEADxxxx") };
        chunks.AddRange(Enumerable.Repeat(B(new string('y', 1000)), 50));
        chunks.Add(B("yyy\r\n[ 2.0] BUG: after the long line\nlast"));
        var lines = Split(splitter, [.. chunks]);
        Assert.That(lines, Is.EqualTo(new[] { "before", "HEADxxxx" + splitter.CutMark, "[ 2.0] B" + splitter.CutMark, "last" }));
    }

    [Test]
    public void Many_over_long_lines_each_come_out_cut_in_order_and_the_buffer_never_passes_the_cap()
    {
        const int cap = 1024;
        var splitter = new LineSplitter(Encoding.Latin1, cap);
        var text = new StringBuilder();
        for (var i = 0; i < 200; i++) text.Append(i % 10).Append(new string('z', cap * (1 + i % 3))).Append('\n').Append("short ").Append(i).Append('\n');
        var bytes = B(text.ToString());
        var lines = new List<string>();
        for (var at = 0; at < bytes.Length; at += 777) splitter.Feed(bytes.AsSpan(at, Math.Min(777, bytes.Length - at)), lines.Add);
        splitter.Flush(lines.Add);
        Assert.That(lines, Has.Count.EqualTo(400));
        Assert.That(splitter.CutLines, Is.EqualTo(200));
        for (var i = 0; i < 200; i++)
        {
            Assert.That(lines[2 * i], Is.EqualTo(i % 10 + new string('z', cap - 1) + splitter.CutMark));
            Assert.That(lines[2 * i + 1], Is.EqualTo($"short {i}"));
        }
        Assert.That(splitter.BufferBytes, Is.EqualTo(cap), "grown to the cap, no further");
    }

    [Test]
    public void A_cut_never_halves_a_utf8_character()
    {
        // 7 ASCII bytes then '€' (3 bytes): a cap of 8 or 9 falls inside it.
        foreach (var cap in new[] { 8, 9 })
        {
            var splitter = new LineSplitter(Utf8, cap);
            Assert.That(Split(splitter, Utf8.GetBytes("abcdefg€€\n")).Single(), Is.EqualTo("abcdefg" + splitter.CutMark), $"cap {cap}");
        }
        var ten = new LineSplitter(Utf8, 10);
        Assert.That(Split(ten, Utf8.GetBytes("abcdefg€€\n")).Single(), Is.EqualTo("abcdefg€" + ten.CutMark));
    }

    [Test]
    public void A_last_line_without_a_newline_is_handed_on_at_the_end_and_the_rest_of_a_cut_one_is_not()
    {
        Assert.That(Split(new LineSplitter(Encoding.Latin1), B("a\nno newline")), Is.EqualTo(new[] { "a", "no newline" }));
        var splitter = new LineSplitter(Encoding.Latin1, 4);
        Assert.That(Split(splitter, B("abcdefgh")), Is.EqualTo(new[] { "abcd" + splitter.CutMark }));
    }

    [Test]
    public void A_saved_capture_is_read_back_with_the_same_cut_and_the_file_is_not_changed()
    {
        var path = Path.GetTempFileName();
        try
        {
            var bytes = B("[ 1.0] first\r\n" + new string('q', 300_000) + "\n[ 2.0] BUG: after it\nlast");
            File.WriteAllBytes(path, bytes);
            var cut = new LineSplitter(Utf8).CutMark;
            Assert.That(LineSplitter.ReadLines(path, Utf8).ToList(),
                Is.EqualTo(new[] { "[ 1.0] first", new string('q', LineSplitter.DefaultMaxLineBytes) + cut, "[ 2.0] BUG: after it", "last" }));
            Assert.That(File.ReadAllBytes(path), Is.EqualTo(bytes));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
