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
    /// loads). Fewer and rarer strings than the headers themselves ("el BUG" for kernel/Kernel BUG, "nt3:" for
    /// int3:): a vectorised multi-string search slows with each string and with common first letters ("int", "sta").
    /// </summary>
    public static readonly string[] Needles =
    [
        "BUG:", "WARNING:", "INFO:", "refcount_t:", "list_", "el BUG", "BUG km", "Unable to handle", "general protection",
        "segment: ", "Kernel panic", "PANIC:", "panicked", "ide error:", "ide_error:", "opcode:", "nt3:", "UBSAN:", "Booting the",
        "_netdevice: waiting", "VFS: ", "nal error:", "Unhandled", "nment trap", "trusty:", "SYZFA", "panic:",
    ];

    private static readonly System.Buffers.SearchValues<string> Literals = NeedlesCoverEveryHeader();

    private static System.Buffers.SearchValues<string> NeedlesCoverEveryHeader()
    {
        foreach (var kind in ReportKinds.All)
            if (!Needles.Any(n => kind.Header.Contains(n, StringComparison.Ordinal)))
                throw new InvalidOperationException($"report kind '{kind.Header}' holds none of the scanner's needles: add one to Headers.Needles");
        return System.Buffers.SearchValues.Create(Needles, StringComparison.Ordinal);
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
