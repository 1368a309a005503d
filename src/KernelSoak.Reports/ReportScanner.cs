using System.Buffers;
using System.Runtime.CompilerServices;

namespace KernelSoak.Reports;

/// <summary>
/// Classifies a whole saved log fast: between reports it jumps straight to the next line that could hold
/// a header (one vectorised multi-string search over a block of text, no per-line string), then feeds the
/// classifier line by line until that report closes. Gives exactly what feeding every line would.
/// </summary>
public static partial class ReportScanner
{
    private static readonly SearchValues<string> Candidates = SearchValues.Create(Headers.Needles, StringComparison.Ordinal);
    private const int Prelude = 4;
    /// <summary>The read buffer's limit, in characters for text (8 MiB) and in bytes for a stream (4 MiB): a longer line is cut, whatever its length.</summary>
    public const int MaxBuffer = 1 << 22; // the classifier looks this many lines back for "[ cut here ]" and separators

    public static IReadOnlyList<KernelReport> Scan(TextReader reader, string source)
    {
        var reports = new List<KernelReport>();
        Scan(reader, source, reports.Add);
        return reports;
    }

    /// <summary>
    /// Hands each report to <paramref name="onReport"/> as it closes: a caller that keeps one report per
    /// title lets the rest die young (holding all of a report-dense 100 MB log's lines cost more in GC than the scan).
    /// </summary>
    public static void Scan(TextReader reader, string source, Action<KernelReport> onReport, Func<string, bool>? keepText = null) =>
        Scan(reader.ReadBlock, source, onReport, keepText);

    private delegate int BlockSource(char[] buffer, int offset, int count);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one call runs the whole log: no time to tier up
    private static void Scan(BlockSource readBlock, string source, Action<KernelReport> onReport, Func<string, bool>? keepText)
    {
        var classifier = new ReportClassifier(source) { KeepText = keepText };
        var buffer = new char[1 << 20];
        var carry = 0;
        var dropping = false; // inside the tail of a cut line: dropped up to its newline
        while (true)
        {
            // Room for a real read after a long unfinished line (a decoder needs a few chars of it).
            if (buffer.Length - carry < 4096)
            {
                if (buffer.Length < MaxBuffer) Array.Resize(ref buffer, buffer.Length * 2);
                else
                {
                    // One line fills the buffer: the kernel prints nothing that long (printk stops at 1 KiB),
                    // so it is binary junk or a runaway program. Cut it, say so in the line, drop the rest.
                    var mark = $" [line cut: longer than {MaxBuffer} characters]\n";
                    var kept = carry - mark.Length;
                    mark.CopyTo(buffer.AsSpan(kept));
                    Process(buffer.AsSpan(0, kept + mark.Length), classifier, onReport);
                    (carry, dropping) = (0, true);
                }
            }
            var read = readBlock(buffer, carry, buffer.Length - carry);
            var length = carry + read;
            if (dropping)
            {
                var newline = buffer.AsSpan(0, length).IndexOf('\n');
                if (newline < 0)
                {
                    if (read == 0) break;
                    carry = 0;
                    continue;
                }
                buffer.AsSpan(newline + 1, length - newline - 1).CopyTo(buffer);
                (length, dropping) = (length - newline - 1, false);
            }
            // Whole lines only, except at the end of the log.
            var end = read == 0 ? length : buffer.AsSpan(0, length).LastIndexOf('\n') + 1;
            if (end == 0 && read > 0)
            {
                carry = length; // a line longer than what is read so far: read on (the buffer grows only when full)
                continue;
            }
            Process(buffer.AsSpan(0, end), classifier, onReport);
            carry = length - end;
            buffer.AsSpan(end, carry).CopyTo(buffer);
            if (read == 0) break;
        }
        foreach (var last in classifier.Flush()) onReport(last);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Process(ReadOnlySpan<char> text, ReportClassifier classifier, Action<KernelReport> onReport)
    {
        var pos = 0;   // lines before pos are accounted for: fed to the classifier or counted as skipped
        var scan = 0;  // where the search for the next candidate resumes (a non-header candidate is passed over)
        var next = -1; // inside a report: the next candidate at or after pos (int.MaxValue: none in this block)
        while (pos < text.Length)
        {
            if (!classifier.InReport)
            {
                var hit = text[scan..].IndexOfAny(Candidates);
                if (hit < 0)
                {
                    classifier.Skip(Lines(text[pos..]));
                    return;
                }
                var lineStart = scan + text[scan..(scan + hit)].LastIndexOf('\n') + 1;
                var lineEnd = text[lineStart..].IndexOf('\n') is var n and >= 0 ? lineStart + n + 1 : text.Length;
                // Most candidates ("rcu: Hierarchical RCU implementation.") are no header: nothing to feed.
                if (!ReportClassifier.StartsReport(text[lineStart..lineEnd]))
                {
                    scan = lineEnd;
                    continue;
                }
                // A header: its prelude (a few lines back, never before what was already accounted for), then the header.
                var from = lineStart;
                for (var k = 0; k < Prelude && from > pos; k++)
                    from = pos + text[pos..(from - 1)].LastIndexOf('\n') + 1;
                classifier.Skip(Lines(text[pos..from]));
                pos = from;
                while (pos < lineEnd) pos = FeedLine(text, pos, true, classifier, onReport);
                scan = pos;
                continue;
            }
            // One search over the block tells which of the report's lines may hold a header: the rest are not matched.
            if (next < pos) next = text[pos..].IndexOfAny(Candidates) is var c and >= 0 ? pos + c : int.MaxValue;
            var end = text[pos..].IndexOf('\n') is var e and >= 0 ? pos + e : text.Length;
            pos = FeedLine(text, pos, next < end, classifier, onReport);
            scan = pos;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FeedLine(ReadOnlySpan<char> text, int pos, bool mayHoldHeader, ReportClassifier classifier, Action<KernelReport> onReport)
    {
        var newline = text[pos..].IndexOf('\n');
        var line = newline < 0 ? text[pos..] : text[pos..(pos + newline)];
        if (classifier.FeedOne(line, mayHoldHeader) is { } closed) onReport(closed);
        return newline < 0 ? text.Length : pos + newline + 1;
    }

    /// <summary>Lines in a run of text: its newlines, plus a last line without one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Lines(ReadOnlySpan<char> text) => text.Count('\n') + (text.Length > 0 && text[^1] != '\n' ? 1 : 0);
}
