using KernelSoak.Reports;

namespace KernelSoak.Soak;

/// <summary>
/// A probe's final verdict once its harvest is in: the window's outcome (probe.json, absent when no window
/// ran) joined with the reports pstore kept, which may be the only trace of a panic that killed SSH.
/// </summary>
public static class HarvestVerdict
{
    /// <param name="Final">What verdict.json holds.</param>
    /// <param name="FromPstore">Reports only pstore saw (the window did not).</param>
    public sealed record Result(ProbeOutcome Final, IReadOnlyList<ReportSummary> FromPstore);

    /// <summary>The reports in the harvested pstore records, classified and deduplicated by title.</summary>
    public static ReportBook PstoreBook(IEnumerable<HarvestedFile> files, IReadOnlyList<string> suppress)
    {
        var book = new ReportBook(suppress);
        foreach (var record in files.Where(f => f.RemotePath.Contains("pstore", StringComparison.Ordinal)))
            foreach (var report in ReportClassifier.Classify(File.ReadLines(record.LocalPath), "pstore"))
                book.Add(report);
        return book;
    }

    public static Result Combine(ProbeOutcome? window, ReportBook pstore)
    {
        var known = window?.Reports.Concat(window.PreExisting).Concat(window.Suppressed).Select(r => r.Title).ToHashSet() ?? [];
        var fromPstore = pstore.Reports.Where(e => !known.Contains(e.First.Title))
            .Select(e => new ReportSummary(e.First.ClassName, e.First.Title, e.First.GuiltyFunction, "pstore", e.Count, e.First.FirstLine, e.First.Text)).ToList();
        // A report pstore also holds keeps its first text but names pstore among the channels that caught it.
        var inPstore = pstore.Reports.Select(e => e.First.Title).ToHashSet();
        var reports = (window?.Reports ?? []).Select(r => inPstore.Contains(r.Title) && !r.Source.Contains("pstore", StringComparison.Ordinal) ? r with { Source = r.Source + ",pstore" } : r)
            .Concat(fromPstore).ToList();
        var verdict = VerdictOf(window?.Kind, reports.Count);
        var final = (window ?? new ProbeOutcome(VerdictWords.Of(verdict), [], [], [], [], null, 0)) with { Verdict = VerdictWords.Of(verdict), Reports = reports };
        return new(final, fromPstore);
    }

    /// <summary>A boot panic in pstore explains a no-boot; it does not turn it into a report. Otherwise any report makes the verdict.</summary>
    public static Verdict VerdictOf(Verdict? window, int reports) =>
        window == Verdict.NoBoot ? Verdict.NoBoot : reports > 0 ? Verdict.Report : window ?? Verdict.Clean;
}
