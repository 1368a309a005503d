using KernelSoak.Reports.Formats;

namespace KernelSoak.Reports;

/// <summary>A line that starts a report: its kind (a row of <see cref="ReportKinds"/>) and the line's message.</summary>
public sealed record Header(ReportKind Kind, string Line)
{
    public ReportClass Class => Kind.Class;
}

/// <summary>Which lines open a report, close one, or sit inside one without starting another.</summary>
public static class Headers
{
    /// <summary>
    /// What the scanner searches a whole log for: every header holds one of these (checked when the table
    /// loads). Substrings of the headers chosen for a byte search (<see cref="HeaderPrefilter"/>): each is
    /// found by its first three bytes, so those are rare in kernel logs ("fco", "Unh", "ral"), and the eight
    /// groups are its buckets, chosen so that few positions of a log fit a bucket by accident. Chosen by a
    /// search over this repository's corpus captures and boot logs (~1 verification per KB of log; the first
    /// choice, whole words such as "list_" and "panic:", had 22).
    /// </summary>
    public static readonly string[][] NeedleBuckets =
    [
        ["gnment tr", "fcou"], ["Unhan", "Unab", "Booting the"], ["BSAN", "BUG:", "Busy inode", "NIC:"], ["nt3:", "WARNING", "etde", "VFS: C"],
        ["divid", "inva", "SYZFA"], ["panic", "t_add c", "t_del corr"], ["G kmalloc-", "l BUG", "l erro", "gment:"], ["ral protec", "INFO"],
    ];

    public static readonly string[] Needles = [.. NeedleBuckets.SelectMany(b => b)];

    /// <summary>The kinds' header literals: a line holding none of them opens no report (found before a string is made).</summary>
    private static readonly System.Buffers.SearchValues<string> Literals = NeedlesCoverEveryHeader();

    private static System.Buffers.SearchValues<string> NeedlesCoverEveryHeader()
    {
        foreach (var kind in ReportKinds.All)
            if (!Needles.Any(n => kind.Header.Contains(n, StringComparison.Ordinal)))
                throw new InvalidOperationException($"report kind '{kind.Header}' holds none of the scanner's needles: add one to Headers.NeedleBuckets");
        return System.Buffers.SearchValues.Create([.. ReportKinds.All.Select(k => k.Header).Distinct()], StringComparison.Ordinal);
    }

    // Lines that hold a header but, inside a report, belong to it: an oops's "invalid opcode", the panic a
    // report ends in, a double fault during a fault, arm's "Internal error" under its "Unable to handle".
    private static readonly string[] InsideReport = ["invalid opcode: 0000", "Kernel panic - not syncing", "unregister_netdevice: waiting for", "PANIC: double fault", "Internal error:"];

    public static Header? Match(string text) => Match(text.AsSpan());

    /// <summary>A line given as a span: a string is made only for one that holds a header's literal.</summary>
    public static Header? Match(ReadOnlySpan<char> text)
    {
        if (text.Length < 4 || text.IndexOfAny(Literals) < 0) return null;
        var line = text.ToString();
        foreach (var kind in ReportKinds.All)
            if (kind.Opens(line)) return new Header(kind, line);
        return null;
    }

    public static bool ContinuesReport(string line) => InsideReport.Any(p => line.Contains(p, StringComparison.Ordinal));

    public static bool IsCutHere(ReadOnlySpan<char> text) => text.Contains("[ cut here ]", StringComparison.Ordinal);
    public static bool IsSeparator(ReadOnlySpan<char> text) => text.Length >= 20 && !text.ContainsAnyExcept('=');
    public static bool IsEndMarker(ReadOnlySpan<char> text) => text.StartsWith("---[ end ", StringComparison.Ordinal);
}
