using System.Text.RegularExpressions;

namespace KernelSoak.Reports.Formats;

/// <summary>
/// One kind of kernel report, as a row of <see cref="ReportKinds"/>: the literal its first line holds, the
/// lines holding it that are not this kind's header, and the formats that name it.
/// </summary>
/// <param name="Header">The literal a header line holds (anywhere in it: consoles prefix lines with noise).</param>
/// <param name="Class">The report type when no format names a more precise one.</param>
/// <param name="Formats">Tried in order over the report text; the one whose title matches earliest wins.</param>
/// <param name="NotHeaders">Lines holding the literal that are something else ("WARNING: /etc/ssh/moduli …").</param>
/// <param name="EndsBoot">The kernel does not come back from it (a panic, an oops in process context usually does not).</param>
public sealed record ReportKind(string Header, ReportClass Class, IReadOnlyList<ReportFormat> Formats, IReadOnlyList<string> NotHeaders, bool EndsBoot = false)
{
    private Regex[]? _notHeaders;

    /// <summary>Whether a line (its message, prefixes off) opens a report of this kind.</summary>
    public bool Opens(string line)
    {
        if (!line.Contains(Header, StringComparison.Ordinal)) return false;
        foreach (var re in _notHeaders ??= [.. NotHeaders.Select(Pattern.Compile)])
            if (re.IsMatch(line)) return false;
        return true;
    }
}

/// <summary>
/// How one shape of report is named. <see cref="Title"/> finds it in the report text; <see cref="Report"/>
/// (when set) must match too, and its groups (else the title's) fill the template's {0}, {1} …, followed by
/// the guilty frame(s) the <see cref="Stack"/> rule picks. Patterns may use the macros of <see cref="Pattern"/>.
/// </summary>
public sealed record ReportFormat(string Title, string Template)
{
    public string? Report { get; init; }
    public IReadOnlyList<string> Alt { get; init; } = [];
    public StackRule? Stack { get; init; }
    /// <summary>This shape prints no stack trace: its absence does not make the report corrupted.</summary>
    public bool NoStackTrace { get; init; }
    /// <summary>Matching this format means the real header was lost (a report cut or interleaved).</summary>
    public bool Corrupted { get; init; }
    /// <summary>The report type, when it differs from the kind's (KMSAN under "BUG:" …).</summary>
    public ReportClass? Class { get; init; }

    private Regex? _title, _report;
    internal Regex TitleRegex => _title ??= Pattern.Compile(Title);
    internal Regex? ReportRegex => Report is null ? null : _report ??= Pattern.Compile(Report);
}

/// <summary>How the guilty frame is found: which lines to step through, which frames are never guilty, who picks.</summary>
/// <param name="Parts">Matched one after another from the title down; a capturing part yields a frame;
/// <see cref="Pattern.ParseStack"/> reads a stack trace from there (up to the next stack's start).</param>
/// <param name="Skip">Frames never guilty for this kind (regex, searched in the function name), on top of <see cref="StackRules.Skip"/>.</param>
/// <param name="Parts2">Tried when <paramref name="Parts"/> find no frame.</param>
public sealed record StackRule(IReadOnlyList<string> Parts, IReadOnlyList<string>? Skip = null, IReadOnlyList<string>? Parts2 = null, FrameChoice Choice = FrameChoice.First);

public enum FrameChoice
{
    /// <summary>The first frame that is not skipped.</summary>
    First,
    /// <summary>Stalls and lockups: the frame above the first dispatcher (syscall entry, work item, softirq, …).</summary>
    Stall,
    /// <summary>Hung tasks: rtnl_lock or synchronize_rcu when waited on, else the first frame that is not waiting machinery.</summary>
    HungTask,
}

/// <summary>The regex dialect of the table: RE2-like patterns with macros for the shapes every row needs.</summary>
public static class Pattern
{
    /// <summary>A stack part that reads a whole stack trace.</summary>
    public const string ParseStack = "{{STACK}}";

    private static readonly (string Macro, string Regex)[] Macros =
    [
        ("{{ADDR}}", "0x[0-9a-f]+"),
        ("{{PC}}", @"\[<?(?:0x)?[0-9a-f]+>?\]"),
        ("{{FUNC}}", @"([a-zA-Z0-9_]+)(?:\.|\+)"),
        ("{{SRC}}", @"([a-zA-Z0-9-_/.]+\.[a-z]+:[0-9]+)"),
        ("{{TASK}}", @"[\s\S]{0,100}?"),
    ];

    public static string Expand(string pattern)
    {
        foreach (var (macro, regex) in Macros) pattern = pattern.Replace(macro, regex, StringComparison.Ordinal);
        return pattern;
    }

    /// <summary>A literal as a pattern.</summary>
    public static string Escape(string literal) => Regex.Escape(literal);

    public static Regex Compile(string pattern) => new(Expand(pattern), RegexOptions.CultureInvariant);
}
