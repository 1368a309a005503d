using System.Runtime.CompilerServices;

namespace KernelSoak.Reports;

public static partial class ReportScanner
{
    private static readonly HeaderPrefilter Prefilter = new(Headers.NeedleBuckets);
    private static readonly System.Text.UTF8Encoding Utf8 = new(false);

    /// <summary>
    /// A saved log as UTF-8 bytes: searched as bytes, and only the lines fed to the classifier are decoded (one
    /// line at a time, into one reused buffer). Each report carries its byte offsets in the stream.
    /// Gives what <see cref="Scan(TextReader, string, Action{KernelReport}, Func{string, bool}?)"/> gives on the decoded text.
    /// </summary>
    public static void Scan(Stream utf8, string source, Action<KernelReport> onReport, Func<string, bool>? keepText = null) =>
        new Utf8Scan(new ReportClassifier(source) { KeepText = keepText }, onReport, 0, null).Run(utf8);

    /// <summary>
    /// As <see cref="Scan(Stream, string, Action{KernelReport}, Func{string, bool}?)"/> for a stream that starts
    /// <paramref name="offset"/> bytes into the log (offsets in the reports are the log's); stops before the
    /// next read once <paramref name="stop"/> says so (the open report is flushed, the rest is not read).
    /// </summary>
    internal static void Scan(Stream utf8, string source, Action<KernelReport> onReport, Func<string, bool>? keepText, long offset, Func<bool> stop) =>
        new Utf8Scan(new ReportClassifier(source) { KeepText = keepText }, onReport, offset, stop).Run(utf8);

    private sealed class Utf8Scan(ReportClassifier classifier, Action<KernelReport> onReport, long offset, Func<bool>? stop)
    {
        private static readonly byte[] CutMark = System.Text.Encoding.ASCII.GetBytes($" [line cut: longer than {MaxBuffer} bytes]\n");
        private char[] _chars = new char[4096]; // the line being fed, decoded
        private long _base = offset;            // the log offset of the read buffer's first byte

        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one call runs the whole log: no time to tier up
        public void Run(Stream stream)
        {
            var buffer = new byte[1 << 20];
            var carry = 0;
            var dropping = false; // inside the tail of a cut line: dropped up to its newline
            while (true)
            {
                if (buffer.Length - carry < 4096)
                {
                    if (buffer.Length < MaxBuffer) Array.Resize(ref buffer, buffer.Length * 2);
                    else
                    {
                        // One line fills the buffer: the kernel prints nothing that long (printk stops at 1 KiB),
                        // so it is binary junk or a runaway program. Cut it, say so in the line, drop the rest.
                        var kept = carry - CutMark.Length;
                        CutMark.CopyTo(buffer.AsSpan(kept));
                        Process(buffer.AsSpan(0, kept + CutMark.Length));
                        _base += carry;
                        (carry, dropping) = (0, true);
                    }
                }
                if (stop?.Invoke() == true) break;
                var read = stream.Read(buffer, carry, buffer.Length - carry);
                var length = carry + read;
                if (dropping)
                {
                    var newline = buffer.AsSpan(0, length).IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        if (read == 0) break;
                        _base += length;
                        carry = 0;
                        continue;
                    }
                    buffer.AsSpan(newline + 1, length - newline - 1).CopyTo(buffer);
                    _base += newline + 1;
                    (length, dropping) = (length - newline - 1, false);
                }
                // Whole lines only, except at the end of the log.
                var end = read == 0 ? length : buffer.AsSpan(0, length).LastIndexOf((byte)'\n') + 1;
                if (end == 0 && read > 0)
                {
                    carry = length; // a line longer than what is read so far: read on (the buffer grows only when full)
                    continue;
                }
                Process(buffer.AsSpan(0, end));
                _base += end;
                carry = length - end;
                buffer.AsSpan(end, carry).CopyTo(buffer);
                if (read == 0) break;
            }
            foreach (var last in classifier.Flush()) onReport(last);
        }

        /// <summary>As the text scanner's Process, over bytes.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Process(ReadOnlySpan<byte> text)
        {
            var pos = 0;   // lines before pos are accounted for: fed to the classifier or counted as skipped
            var scan = 0;  // where the search for the next candidate resumes (a non-header candidate is passed over)
            var next = -1; // inside a report: the next candidate at or after pos (int.MaxValue: none in this block)
            while (pos < text.Length)
            {
                if (!classifier.InReport)
                {
                    var hit = Prefilter.IndexOf(text[scan..]);
                    if (hit < 0)
                    {
                        // The block's last lines are fed, not skipped: they may be the prelude ("[ cut here ]") of a
                        // header at the start of the next block. None holds a header (no candidate, or one that is not).
                        var last = text.Length;
                        for (var k = 0; k < Prelude && last > pos; k++)
                            last = pos + text[pos..(last - 1)].LastIndexOf((byte)'\n') + 1;
                        classifier.Skip(Lines(text[pos..last]));
                        for (pos = last; pos < text.Length;) pos = FeedLine(text, pos, false);
                        return;
                    }
                    var lineStart = scan + text[scan..(scan + hit)].LastIndexOf((byte)'\n') + 1;
                    var lineEnd = text[lineStart..].IndexOf((byte)'\n') is var n and >= 0 ? lineStart + n + 1 : text.Length;
                    if (!ReportClassifier.StartsReport(Decode(text[lineStart..lineEnd])))
                    {
                        scan = lineEnd;
                        continue;
                    }
                    var from = lineStart;
                    for (var k = 0; k < Prelude && from > pos; k++)
                        from = pos + text[pos..(from - 1)].LastIndexOf((byte)'\n') + 1;
                    classifier.Skip(Lines(text[pos..from]));
                    pos = from;
                    while (pos < lineEnd) pos = FeedLine(text, pos, true);
                    scan = pos;
                    continue;
                }
                if (next < pos) next = Prefilter.IndexOf(text[pos..]) is var c and >= 0 ? pos + c : int.MaxValue;
                var end = text[pos..].IndexOf((byte)'\n') is var e and >= 0 ? pos + e : text.Length;
                pos = FeedLine(text, pos, next < end);
                scan = pos;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int FeedLine(ReadOnlySpan<byte> text, int pos, bool mayHoldHeader)
        {
            var newline = text[pos..].IndexOf((byte)'\n');
            var line = newline < 0 ? text[pos..] : text[pos..(pos + newline)];
            var length = line.Length;
            while (length > 0 && line[length - 1] == '\r') length--;
            if (classifier.FeedOne(Decode(line), mayHoldHeader, _base + pos, _base + pos + length) is { } closed) onReport(closed);
            return newline < 0 ? text.Length : pos + newline + 1;
        }

        /// <summary>
        /// One line decoded on its own: what decoding the whole stream gives for it, as no UTF-8 sequence spans
        /// a newline (an invalid one ends there, and becomes U+FFFD either way).
        /// </summary>
        private ReadOnlySpan<char> Decode(ReadOnlySpan<byte> line)
        {
            if (_chars.Length < line.Length) _chars = new char[Math.Max(line.Length, _chars.Length * 2)];
            return _chars.AsSpan(0, Utf8.GetChars(line, _chars));
        }

        private static int Lines(ReadOnlySpan<byte> text) => text.Count((byte)'\n') + (text.Length > 0 && text[^1] != '\n' ? 1 : 0);
    }
}
