namespace KernelSoak.Reports;

/// <summary>
/// A big saved log scanned on two cores: the second half from its first line start, the first half from the
/// top and on past the middle until both scans agree. They agree at a report both opened at the same line
/// with the same prelude: from there the classifier's state is the same in both (a report's state is its
/// prelude and header; nothing older is kept), so the second scan's reports from that one on are what one scan
/// would give, line numbers aside. Without such a report the first scan simply reads to the end.
/// </summary>
public static class TwoHalfScan
{
    /// <summary>Below this, one scan is done before a second thread would help.</summary>
    public const long MinBytes = 8L << 20;

    /// <summary>
    /// Agreement is looked for among the second scan's first reports only: those keep their text whatever their
    /// title, so whichever of them becomes the first of its title in the merged result still has it.
    /// </summary>
    private const int AgreeWithin = 8;

    /// <summary>
    /// Where to split <paramref name="path"/>, or null to scan it once: small, not a regular file, one core, or
    /// KERNELSOAK_CLASSIFY_CORES=1 (a CI runner that shares its cores; bench/classifier.sh times both).
    /// </summary>
    public static long? SplitPoint(string path)
    {
        if (Environment.ProcessorCount < 2 || Environment.GetEnvironmentVariable("KERNELSOAK_CLASSIFY_CORES") == "1") return null;
        var info = new FileInfo(path);
        if (!info.Exists || info.Attributes.HasFlag(FileAttributes.Device) || info.Length < MinBytes) return null;
        return info.Length / 2;
    }

    /// <summary>
    /// Scans <paramref name="path"/> split near <paramref name="splitAt"/> (null: in one scan), handing each report
    /// to <paramref name="onReport"/> in log order, exactly as one scan would (<paramref name="keepText"/> as there).
    /// True when the second half's scan was used (the scans agreed).
    /// </summary>
    public static bool Scan(string path, string source, long? splitAt, Action<KernelReport> onReport, Func<string, bool> keepText)
    {
        if (splitAt is not { } split || LineStartAtOrAfter(path, split) is not { } mid)
        {
            // Read on this thread: a read-ahead thread was tried (bench/RESULTS.md, session 8) and cost more CPU than it saved.
            using var whole = Open(path);
            ReportScanner.Scan(whole, source, onReport, keepText);
            return false;
        }
        var abandon = false;
        var second = Task.Run(() => ScanFrom(path, source, mid, () => abandon));
        List<KernelReport>? later = null;
        int agreed = -1, lineShift = 0;
        try
        {
            using var first = Open(path);
            ReportScanner.Scan(first, source, report =>
            {
                if (agreed >= 0) return;
                if (report.StartOffset >= mid && (later ??= second.GetAwaiter().GetResult()) is var theirs)
                {
                    agreed = theirs.FindIndex(0, Math.Min(AgreeWithin, theirs.Count), r =>
                        r.StartOffset == report.StartOffset && r.PreludeLines == report.PreludeLines && r.Title == report.Title);
                    if (agreed >= 0)
                    {
                        lineShift = report.LineNumber - theirs[agreed].LineNumber;
                        return;
                    }
                }
                onReport(report);
            }, keepText, 0, () => agreed >= 0);
        }
        finally
        {
            abandon = true; // the first scan read to the end (or failed): the second one's work is not needed
            if (later is null) second.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
        }
        if (agreed < 0) return false;
        foreach (var r in later!.Skip(agreed))
            onReport(r with { LineNumber = r.LineNumber + lineShift, EndLineNumber = r.EndLineNumber + lineShift });
        return true;
    }

    private static List<KernelReport> ScanFrom(string path, string source, long offset, Func<bool> abandon)
    {
        var reports = new List<KernelReport>();
        var seen = 0;
        var titled = new HashSet<string>(StringComparer.Ordinal);
        using var file = Open(path);
        file.Position = offset;
        // The first few keep their text (any of them may be where the scans agree); after them, the first of a title.
        ReportScanner.Scan(file, source, reports.Add, title => seen++ < AgreeWithin || titled.Add(title), offset, abandon);
        return reports;
    }

    /// <summary>The first line start at or after <paramref name="offset"/> (null: none, or the end of the file).</summary>
    private static long? LineStartAtOrAfter(string path, long offset)
    {
        if (offset <= 0) return null;
        using var file = Open(path);
        file.Position = offset - 1;
        var buffer = new byte[64 * 1024];
        for (int read; (read = file.Read(buffer)) > 0;)
        {
            var newline = buffer.AsSpan(0, read).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var start = file.Position - read + newline + 1;
                return start < file.Length ? start : null;
            }
        }
        return null;
    }

    private static FileStream Open(string path) => new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
}
