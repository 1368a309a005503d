using System.Text.RegularExpressions;

namespace KernelSoak.Reports;

/// <summary>
/// Splits a kernel log (any capture: dmesg, console with bootloader noise, journalctl, /dev/kmsg,
/// netconsole, pstore) into reports, streaming: feed lines, get each report when it closes (an end
/// marker, the next report, a length cap, or Flush — the live monitor flushes after a quiet second).
/// </summary>
public sealed partial class ReportClassifier(string source)
{
    private const int MaxLines = 400;
    private readonly Queue<(LogLine Line, int Number)> _recent = new();
    private Open? _open;
    private int _number;

    private readonly ReportLinesBuilder _lines = new(); // the open report's, reused from report to report

    private sealed class Open(Header header, LogLine first, int number, ReportLinesBuilder lines)
    {
        public Header Header { get; } = header;
        public LogLine First { get; } = first;
        public int Number { get; } = number;
        public ReportLinesBuilder Lines { get; } = lines;
        public bool HasLeadingSeparator { get; set; }
    }

    public static IReadOnlyList<KernelReport> Classify(IEnumerable<string> lines, string source)
    {
        var classifier = new ReportClassifier(source);
        var reports = new List<KernelReport>();
        foreach (var line in lines) reports.AddRange(classifier.Feed(line));
        reports.AddRange(classifier.Flush());
        return reports;
    }

    public IEnumerable<KernelReport> Feed(string raw)
    {
        if (FeedOne(raw) is { } closed) yield return closed;
    }

    /// <summary><see cref="Feed"/> without the iterator (a line closes at most one report).</summary>
    public KernelReport? FeedOne(string raw) => FeedOne(raw.AsSpan());

    /// <summary>
    /// A raw line as a span (the scanner's, inside its read buffer): inside a report it is copied into the
    /// report's buffer, and a string is made only for a line that may be a header or precedes one.
    /// </summary>
    public KernelReport? FeedOne(ReadOnlySpan<char> raw)
    {
        _number++;
        var (start, length, timestamp) = LogLine.Locate(raw);
        var text = raw.Slice(start, length);
        var header = Headers.Match(text);
        if (header is not null && _open is not null && BelongsToOpen(_open, header))
            header = null;
        if (header is not null)
        {
            var closed = _open is null ? null : Close(_open);
            _open = new Open(header, new LogLine(text.ToString(), timestamp), _number, _lines);
            var prelude = Prelude();
            foreach (var (line, _) in prelude) _open.Lines.Add(line.Text);
            _open.HasLeadingSeparator = prelude.Any(p => Headers.IsSeparator(p.Line.Text));
            _open.Lines.Add(text);
            _recent.Clear();
            return closed;
        }
        if (_open is not null)
        {
            _open.Lines.Add(text);
            var ends = Headers.IsEndMarker(text) || (Headers.IsSeparator(text) && _open.HasLeadingSeparator && _open.Lines.Count > 3);
            if (ends || _open.Lines.Count >= MaxLines)
            {
                var closed = Close(_open);
                _open = null;
                return closed;
            }
            return null;
        }
        _recent.Enqueue((new LogLine(text.ToString(), timestamp), _number));
        while (_recent.Count > 4) _recent.Dequeue();
        return null;
    }

    /// <summary>Whether a line would open a report when no report is open (no state is touched).</summary>
    public static bool StartsReport(ReadOnlySpan<char> raw)
    {
        var (start, length, _) = LogLine.Locate(raw);
        return Headers.Match(raw.Slice(start, length)) is not null;
    }

    /// <summary>Inside a report: every line matters. Outside, only a line with a header can (see <see cref="ReportScanner"/>).</summary>
    public bool InReport => _open is not null;

    /// <summary>Lines known to hold no header, passed over unread (outside a report only): counted for line numbers.</summary>
    public void Skip(int lines)
    {
        if (_open is not null) throw new InvalidOperationException("cannot skip lines inside a report");
        if (lines <= 0) return;
        _number += lines;
        _recent.Clear();
    }

    public IEnumerable<KernelReport> Flush()
    {
        if (_open is null) yield break;
        yield return Close(_open);
        _open = null;
    }

    /// <summary>Lines just before a header that belong to it: "[ cut here ]", a separator, a WARN() message.</summary>
    private List<(LogLine Line, int Number)> Prelude()
    {
        var items = _recent.ToList();
        var start = items.FindLastIndex(i => Headers.IsCutHere(i.Line.Text) || Headers.IsSeparator(i.Line.Text));
        return start < 0 ? [] : items[start..];
    }

    /// <summary>Headers that continue the open report rather than start one (the WARNING under ODEBUG, …).</summary>
    private static bool BelongsToOpen(Open open, Header next)
    {
        var first = open.Header.Class;
        var fresh = open.Lines.Count <= 6;
        return next.Class switch
        {
            ReportClass.Warning => fresh && first is ReportClass.Odebug or ReportClass.Refcount or ReportClass.ListCorruption,
            ReportClass.Bug => fresh && first is ReportClass.ListCorruption,
            _ => false,
        };
    }

    /// <summary>
    /// Whether a closed report's text is wanted, by its title: a caller that keeps one report per title
    /// says no to the rest, and their text is never copied out (a log that repeats one bug a thousand
    /// times costs one text). Null: always.
    /// </summary>
    public Func<string, bool>? KeepText { get; init; }

    private KernelReport Close(Open open)
    {
        var (title, guilty) = Title(open.Header, open.Lines.Borrow());
        var lines = KeepText?.Invoke(title) == false ? ReportLines.Empty : open.Lines.Copy();
        open.Lines.Clear();
        return new KernelReport(open.Header.Class, title, open.First.Text, guilty, lines, source, open.First.Timestamp, open.Number);
    }

    private static (string Title, string? Guilty) Title(Header h, ReportLines lines)
    {
        string? Stack() => GuiltyFromStack(lines);
        // arm64's pc then lr, x86's RIP: the first that names kernel code other than generic machinery.
        string? Registers()
        {
            foreach (var register in (ReadOnlySpan<string>)["pc", "lr", "RIP"])
            {
                for (var i = 0; i < lines.Count; i++)
                {
                    if (Frames.Register(lines.Span(i), register) is not { } f) continue;
                    if (!Frames.IsGeneric(f)) return f;
                    break;
                }
            }
            return null;
        }
        switch (h.Class)
        {
            case ReportClass.Kasan:
            {
                var inHeader = Frames.Function(h.Match.Groups[2].Value);
                // A double free's culprit frees twice; x86 tail calls can drop it from the second free's
                // stack, but the first free's stack ("Freed by task") names it.
                var doubleFree = h.Match.Groups[1].Value == "double-free";
                var guilty = !Frames.IsGeneric(inHeader) ? (doubleFree ? TailCaller(lines, inHeader) : null) ?? inHeader
                    : (doubleFree ? GuiltyFromSection(lines, "Freed by task") : null) ?? Stack() ?? inHeader;
                var access = Access(lines);
                return ($"KASAN: {h.Match.Groups[1].Value}{(access is null ? "" : " " + access)} in {guilty}", guilty);
            }
            case ReportClass.Kcsan:
            {
                var funcs = string.Join(" / ", h.Match.Groups[2].Value.Split(" / ").Select(Frames.Function));
                return ($"KCSAN: {h.Match.Groups[1].Value} in {funcs}", funcs.Split(" / ")[0]);
            }
            case ReportClass.Lockdep:
            {
                var acquire = lines.SkipWhile(l => !l.Contains("is trying to acquire lock", StringComparison.Ordinal)).Skip(1).FirstOrDefault() ?? "";
                var at = AtFunction().Match(acquire);
                var guilty = at.Success ? Frames.Function(at.Groups[1].Value) : Stack();
                var what = h.Match.Groups[1].Value switch
                {
                    "possible circular locking dependency detected" or "possible recursive locking detected" => "possible deadlock",
                    "inconsistent lock state" => "inconsistent lock state",
                    "suspicious RCU usage" => "WARNING: suspicious RCU usage",
                    var other => "WARNING: " + other.TrimEnd('!'),
                };
                return ($"{what} in {guilty ?? "?"}", guilty);
            }
            case ReportClass.AtomicSleep:
            {
                var guilty = Stack();
                return ($"BUG: {h.Kind} in {guilty ?? "?"}", guilty);
            }
            case ReportClass.Odebug: { var g = Stack(); return ($"WARNING: ODEBUG bug in {g ?? "?"}", g); }
            case ReportClass.Refcount: { var g = Stack(); return ($"WARNING: refcount bug in {g ?? "?"}", g); }
            case ReportClass.ListCorruption: { var g = Stack(); return ($"BUG: corrupted list in {g ?? "?"}", g); }
            case ReportClass.Warning:
            {
                var inHeader = Frames.Function(h.Match.Groups[2].Value);
                var guilty = Frames.IsGeneric(inHeader) ? Stack() ?? inHeader : inHeader;
                return ($"WARNING in {guilty}", guilty);
            }
            case ReportClass.Bug: { var g = Registers() ?? Stack(); return ($"kernel BUG in {g ?? "?"}", g); }
            case ReportClass.Oops:
            {
                var g = Registers() ?? Stack();
                var what = h.Kind switch
                {
                    "oops-arm64" when h.Match.Groups[1].Value.Contains("NULL pointer", StringComparison.Ordinal) => "unable to handle kernel NULL pointer dereference",
                    "oops-arm64" => "unable to handle kernel paging request",
                    "oops-x86-null" => "BUG: unable to handle kernel NULL pointer dereference",
                    "gpf" => "general protection fault",
                    _ => "BUG: unable to handle kernel paging request",
                };
                return ($"{what} in {g ?? "?"}", g);
            }
            case ReportClass.Panic:
            {
                var message = Numbers().Replace(h.Match.Groups[1].Value.Trim(), "X");
                return ($"kernel panic: {message}", Stack() ?? Registers());
            }
            case ReportClass.SoftLockup: { var g = Registers() ?? Stack(); return ($"BUG: soft lockup in {g ?? "?"}", g); }
            case ReportClass.HungTask: { var g = Stack(); return ($"INFO: task hung in {g ?? "?"}", g); }
            case ReportClass.RcuStall: { var g = Registers() ?? Stack(); return ($"INFO: rcu detected stall in {g ?? "?"}", g); }
            case ReportClass.Ubsan: { var g = Stack(); return ($"UBSAN: {h.Match.Groups[1].Value} in {g ?? "?"}", g); }
            default: return (lines.Count > 0 ? lines[0] : "", null);
        }
    }

    /// <summary>The first non-generic frame of the first stack trace (not the allocation/free stacks of KASAN).</summary>
    private static string? GuiltyFromStack(ReportLines lines)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines.Span(i);
            if (line.StartsWith("Allocated by task", StringComparison.Ordinal) || line.StartsWith("Freed by task", StringComparison.Ordinal)
                || line.StartsWith("The buggy address", StringComparison.Ordinal) || line.StartsWith("Last potentially related", StringComparison.Ordinal))
                break;
            if (Frames.StackFrame(line) is { } f && !Frames.IsGeneric(f)) return f;
        }
        return null;
    }

    /// <summary>KASAN's "Read of size 8 at addr …" → "Read".</summary>
    private static string? Access(ReportLines lines)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines.Span(i);
            if (line.StartsWith("Read of size", StringComparison.Ordinal)) return "Read";
            if (line.StartsWith("Write of size", StringComparison.Ordinal)) return "Write";
        }
        return null;
    }

    /// <summary>The frames of the stack under a heading ("Freed by task 1:"), up to the blank line that ends it.</summary>
    private static List<string> SectionFrames(ReportLines lines, string heading)
    {
        var frames = new List<string>();
        var i = 0;
        while (i < lines.Count && !lines.Span(i).StartsWith(heading, StringComparison.Ordinal)) i++;
        for (i++; i < lines.Count && !lines.Span(i).Trim().IsEmpty; i++)
            if (Frames.StackFrame(lines.Span(i)) is { } f) frames.Add(f);
        return frames;
    }

    private static string? GuiltyFromSection(ReportLines lines, string heading) =>
        SectionFrames(lines, heading).FirstOrDefault(f => !Frames.IsGeneric(f));

    /// <summary>
    /// A double free whose header names <paramref name="inHeader"/> only because the second kfree was a
    /// tail call (x86: the function that frees twice is gone from that stack): the first free's stack shows
    /// it, right above <paramref name="inHeader"/>.
    /// </summary>
    private static string? TailCaller(ReportLines lines, string inHeader)
    {
        var frames = SectionFrames(lines, "Freed by task");
        var at = frames.IndexOf(inHeader);
        return at > 0 && !Frames.IsGeneric(frames[at - 1]) ? frames[at - 1] : null;
    }

    [GeneratedRegex(@"at: (\S+\+0x[0-9a-f]+/0x[0-9a-f]+)")] private static partial Regex AtFunction();
    [GeneratedRegex(@"0x[0-9a-f]+|\b\d+\b")] private static partial Regex Numbers();
}
