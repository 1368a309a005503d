using KernelSoak.Reports.Formats;

namespace KernelSoak.Reports;

/// <summary>
/// Splits a kernel log (any capture: dmesg, console with bootloader noise, journalctl, /dev/kmsg,
/// netconsole, pstore) into reports, streaming: feed lines, get each report when it closes (an end
/// marker, the next report, a length cap, or Flush — the live monitor flushes after a quiet second).
/// A report keeps the lines of the task (or CPU) that printed its header when the kernel names callers
/// (CONFIG_PRINTK_CALLER): other tasks' lines interleaved with it are left out, as syzkaller does.
/// </summary>
public sealed class ReportClassifier(string source)
{
    private const int MaxLines = 400;        // lines kept per report: the title needs the first stack or two
    private const int MaxLinesSeen = 4000;   // lines passed while one is open, most of them other tasks'
    /// <summary>A line's message is cut after this many characters, and ends in <see cref="CutMark"/>.</summary>
    public const int MaxLineChars = 4096;
    public const string CutMark = " [line cut]";
    private static readonly System.Buffers.SearchValues<string> InfoWithStack = System.Buffers.SearchValues.Create(
        ["vmalloc: allocation failure:", "FAULT_INJECTION: forcing a failure", "FAULT_FLAG_ALLOW_RETRY missing"], StringComparison.Ordinal);
    private readonly Queue<Recent> _recent = new();

    /// <summary>A line seen outside a report, kept while it may still be a header's prelude; Start/End: its bytes in the log (-1: unknown).</summary>
    private readonly record struct Recent(LogLine Line, int Number, long Start, long End);
    private Open? _open;
    private int _number;

    private readonly ReportLinesBuilder _lines = new(); // the open report's, reused from report to report
    private readonly Dictionary<string, (ReportName Name, ReportClass Class, string? Culprit)> _named = new(StringComparer.Ordinal);
    private char[] _key = new char[16 * 1024];

    private sealed class Open(Header header, LogLine first, int number, ReportLinesBuilder lines, string context)
    {
        public Header Header { get; } = header;
        public LogLine First { get; } = first;
        public int Number { get; } = number;
        public ReportLinesBuilder Lines { get; } = lines;
        /// <summary>The header's caller id ("T1194"), "console" (timestamps, no ids) or "" (no timestamps).</summary>
        public string Context { get; } = context;
        public bool HasLeadingSeparator { get; set; }
        public int Prelude { get; set; }
        public int Seen { get; set; }
        public int Last { get; set; }
        /// <summary>Other CPUs' backtraces were asked for ("Sending NMI from CPU"): their lines belong too.</summary>
        public bool AllCpus { get; set; }
        /// <summary>The report proper is over (a panic or lockdep splat it caused follows): later lines are not kept.</summary>
        public bool Muted { get; set; }
        /// <summary>Lines past this one are not read for the title: another message with a stack of its own began there.</summary>
        public int? TitleEnd { get; set; }
        /// <summary>Byte offsets in the log: where the first kept line starts, where the last kept line ends (-1: unknown).</summary>
        public long StartOffset { get; set; } = -1;
        public long EndOffset { get; set; } = -1;
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
    public KernelReport? FeedOne(ReadOnlySpan<char> raw) => FeedOne(raw, mayHoldHeader: true);

    /// <summary>As <see cref="FeedOne(ReadOnlySpan{char})"/>; <paramref name="mayHoldHeader"/> false: the caller knows the line holds none of <see cref="Headers.Needles"/>.</summary>
    public KernelReport? FeedOne(ReadOnlySpan<char> raw, bool mayHoldHeader) => FeedOne(raw, mayHoldHeader, -1, -1);

    /// <summary>
    /// As <see cref="FeedOne(ReadOnlySpan{char}, bool)"/>, with where the line's bytes sit in the log: <paramref name="start"/>
    /// its first byte, <paramref name="end"/> just past its last (before its "\n" or "\r\n"); a report then carries
    /// <see cref="KernelReport.StartOffset"/> and <see cref="KernelReport.EndOffset"/>. -1: not known.
    /// </summary>
    public KernelReport? FeedOne(ReadOnlySpan<char> raw, bool mayHoldHeader, long start, long end)
    {
        _number++;
        var (textStart, length, timestamp) = LogLine.Locate(raw, out var caller);
        var text = raw.Slice(textStart, length);
        // printk writes at most 1 KiB a line: anything much longer is junk, and would cost the title patterns dearly.
        if (text.Length > MaxLineChars) text = string.Concat(text[..MaxLineChars], CutMark);
        var header = mayHoldHeader ? Headers.Match(text) : null;
        if (header is not null && _open is not null && (BelongsToOpen(_open, header) || !SameContext(_open, raw, caller)))
            header = null;
        if (header is not null)
        {
            var closed = _open is null ? null : Close(_open);
            _open = new Open(header, new LogLine(header.Line, timestamp), _number, _lines, caller.Of(raw));
            var prelude = Prelude();
            foreach (var p in prelude) _open.Lines.Add(p.Line.Text);
            _open.HasLeadingSeparator = prelude.Any(p => Headers.IsSeparator(p.Line.Text));
            _open.Prelude = prelude.Count;
            _open.Lines.Add(text);
            _open.Last = _number;
            _open.StartOffset = prelude.Count > 0 ? prelude[0].Start : start;
            _open.EndOffset = end;
            _recent.Clear();
            return closed;
        }
        if (_open is not null && _open.Lines.Count - _open.Prelude == 1 && text.Contains("** replaying previous printk message **", StringComparison.Ordinal))
        {
            // The header was cut short and printk prints it again, whole, on the next line: that one opens the report.
            _open.Lines.Clear();
            _open = null;
        }
        if (_open is not null)
        {
            _open.Seen++;
            // Messages that print a stack but are no bug (an allocation failure, injected faults): mixed into a
            // report on a console without caller ids, their stack would be taken for the report's.
            if (_open.TitleEnd is null && _open.Context is "" or "console" && text.ContainsAny(InfoWithStack))
                _open.TitleEnd = _open.Lines.Count;
            if (Keeps(_open, raw, caller, text))
            {
                _open.Lines.Add(text);
                _open.Last = _number;
                _open.EndOffset = end;
            }
            var ends = Headers.IsEndMarker(text) || (Headers.IsSeparator(text) && _open.HasLeadingSeparator && _open.Lines.Count > 3);
            if (ends || _open.Lines.Count >= MaxLines || _open.Seen >= MaxLinesSeen)
            {
                var closed = Close(_open);
                _open = null;
                return closed;
            }
            return null;
        }
        _recent.Enqueue(new Recent(new LogLine(text.ToString(), timestamp), _number, start, end));
        while (_recent.Count > 4) _recent.Dequeue();
        return null;
    }

    /// <summary>Whether a line printed while a report is open is part of it.</summary>
    private static bool Keeps(Open open, ReadOnlySpan<char> raw, Caller caller, ReadOnlySpan<char> text)
    {
        if (!SameContext(open, raw, caller)) return false;
        if (IsQuestionable(text) || text.Contains("Disabling lock debugging due to kernel taint", StringComparison.Ordinal)) return false;
        if (text.Contains("Sending NMI from CPU", StringComparison.Ordinal)) open.AllCpus = true;
        // A panic (panic_on_warn) or a lockdep splat the report's own locking caused: the report is whole without it.
        else if (open.Lines.Count - open.Prelude > (open.Header.Class == ReportClass.Kmsan ? 16 : 22)
                 && (text.Contains("Kernel panic - not syncing", StringComparison.Ordinal) || text.Contains("WARNING: possible circular locking dependency detected", StringComparison.Ordinal)))
            open.Muted = true;
        return !open.Muted;
    }

    /// <summary>Whether a line comes from the task (CPU) the report's header came from.</summary>
    private static bool SameContext(Open open, ReadOnlySpan<char> raw, Caller caller)
    {
        if (open.Context.Length == 0) return true;
        if (open.Context == "console") return !caller.IsNone;
        if (!caller.IsId) return false;
        var id = raw.Slice(caller.Start, caller.Length);
        return id.SequenceEqual(open.Context) || (open.AllCpus && id[0] == 'C');
    }

    /// <summary>x86's unreliable frames ("? f+0x…"), powerpc's "(unreliable)": guesses, not part of the trace.</summary>
    private static bool IsQuestionable(ReadOnlySpan<char> text) =>
        (text.Contains(" ? ", StringComparison.Ordinal) || text.StartsWith("? ", StringComparison.Ordinal) || text.EndsWith(" (unreliable)", StringComparison.Ordinal))
        && !text.Contains("<EOI>", StringComparison.Ordinal) && QuestionableFrame(text);

    private static bool QuestionableFrame(ReadOnlySpan<char> text)
    {
        var t = text.TrimStart(' ');
        if (t.StartsWith("[<", StringComparison.Ordinal) && t.IndexOf("] ", StringComparison.Ordinal) is var close and > 0) t = t[(close + 2)..];
        return t.StartsWith("? ", StringComparison.Ordinal) || text.EndsWith(" (unreliable)", StringComparison.Ordinal);
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
    private List<Recent> Prelude()
    {
        var items = _recent.ToList();
        var start = items.FindLastIndex(i => Headers.IsCutHere(i.Line.Text) || Headers.IsSeparator(i.Line.Text));
        return start < 0 ? [] : items[start..];
    }

    /// <summary>
    /// Headers that continue the open report rather than start one: the WARNING or BUG a checker's own
    /// line announces (ODEBUG, refcount_t, list corruption), and the lines an oops or a panic prints inside it.
    /// </summary>
    private static bool BelongsToOpen(Open open, Header next)
    {
        if (Headers.ContinuesReport(next.Line)) return true;
        var first = open.Header.Class;
        var fresh = open.Lines.Count - open.Prelude <= 6;
        return fresh && next.Class switch
        {
            ReportClass.Warning => first is ReportClass.Odebug or ReportClass.Refcount or ReportClass.ListCorruption,
            ReportClass.Bug => first is ReportClass.ListCorruption,
            // Some architectures print the checker's line after its WARNING's.
            ReportClass.Odebug or ReportClass.Refcount or ReportClass.ListCorruption => first is ReportClass.Warning or ReportClass.Bug,
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
        // A log repeats its reports (a WARN_ON that fires every second prints the same text, timestamps
        // aside): each text is named once.
        // The key is built in a buffer kept from report to report: a string of it per report was most of what a
        // report-dense log allocated (a string is made only for a text not seen before).
        var text = open.Lines.SpanFrom(0, open.Lines.Count);
        var need = open.Header.Kind.Header.Length + 32 + text.Length;
        if (_key.Length < need) _key = new char[Math.Max(need, _key.Length * 2)];
        if (!_key.AsSpan().TryWrite($"{open.Header.Kind.Header}\u0001{open.Prelude}\u0001{open.TitleEnd}\u0001", out var headLength))
            throw new InvalidOperationException("report key buffer too small");
        text.CopyTo(_key.AsSpan(headLength));
        var key = _key.AsSpan(0, headLength + text.Length);
        if (!_named.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(key, out var known))
        {
            var named = TitleEngine.Name(open.Header.Kind, open.Lines.TextFrom(open.Prelude, open.TitleEnd ?? open.Lines.Count));
            var namedClass = named.Format?.Class ?? open.Header.Class;
            if (_named.Count >= 1024) _named.Clear();
            _named[key.ToString()] = known = (named, namedClass, Culprits.Find(namedClass, open.Header.Line, open.Lines.Borrow()));
        }
        var (name, cls, culprit) = known;
        var lines = KeepText?.Invoke(name.Title) == false ? ReportLines.Empty : open.Lines.Copy();
        open.Lines.Clear();
        return new KernelReport(cls, name.Title, open.First.Text, name.Frame, lines, source, open.First.Timestamp, open.Number)
        {
            AltTitles = name.AltTitles, Corrupted = name.Corrupted, EndsBoot = open.Header.Kind.EndsBoot, Culprit = culprit,
            PreludeLines = open.Prelude, EndLineNumber = open.Last,
            StartOffset = open.StartOffset >= 0 ? open.StartOffset : null, EndOffset = open.EndOffset >= 0 ? open.EndOffset : null,
        };
    }
}
