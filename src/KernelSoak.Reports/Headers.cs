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
    private static readonly System.Buffers.SearchValues<string> Literals =
        System.Buffers.SearchValues.Create([.. ReportKinds.All.Select(k => k.Header).Distinct()], StringComparison.Ordinal);

    /// <summary>What the scanner searches a whole log for: every kind's literal (a header holds one anywhere).</summary>
    internal static readonly string[] Needles = [.. ReportKinds.All.Select(k => k.Header).Distinct()];

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
