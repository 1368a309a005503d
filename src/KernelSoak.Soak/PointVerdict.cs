using KernelSoak.Series;

namespace KernelSoak.Soak;

/// <summary>
/// A point's verdict from its probes, and the note that explains it (summary.md and the run's line show it).
/// <paramref name="Bad"/> is the probe that made the point bad, when one did.
/// </summary>
public sealed record PointVerdict(string Verdict, string Note, ProbeRun? Bad)
{
    /// <summary>
    /// A sequential walk's point: the campaign's attempts, each its own boot. The first attempt that is not clean
    /// decides (an infra-error attempt too: no verdict then); clean needs every attempt harvested.
    /// </summary>
    public static PointVerdict OfAttempts(string patch, IReadOnlyList<ProbeRun> runs, int attempts, double missProbability)
    {
        var bad = runs.FirstOrDefault(p => p.Verdict != Verdicts.Clean);
        var verdict = bad?.Verdict ?? (runs.Count == attempts ? Verdicts.Clean : Verdicts.InfraError);
        var note = bad is null ? $"{patch} passed {runs.Count}/{attempts}: {PoissonBounds.Describe(runs.Sum(r => r.StressSeconds), missProbability)}"
            : $"bad at {patch} ({Why(bad)})";
        return new PointVerdict(verdict, note, bad);
    }

    /// <summary>
    /// A binary search's point: bad as soon as one probe is (an infra-error probe is no evidence either way);
    /// clean otherwise, with the bound its clean stress puts on a missed bug.
    /// </summary>
    public static PointVerdict OfProbes(string patch, IReadOnlyList<ProbeRun> runs, double missProbability)
    {
        var bad = runs.FirstOrDefault(p => p.Verdict != Verdicts.Clean && p.Verdict != Verdicts.InfraError);
        var clean = runs.Where(p => p.Verdict == Verdicts.Clean).Sum(p => Math.Max(p.StressSeconds, p.RequestedSeconds));
        var note = bad is null ? PoissonBounds.Describe(clean, missProbability) : $"bad at {patch} ({Why(bad)}){FirstReportAt(bad)}";
        return new PointVerdict(bad?.Verdict ?? Verdicts.Clean, note, bad);
    }

    /// <summary>" (first report N s into the stress)", or nothing for a probe without a timed report.</summary>
    public static string FirstReportAt(ProbeRun run) => run.Timeline.Count == 0 ? "" : $" (first report {run.Timeline[0].Seconds:0.0} s into the stress)";

    private static string Why(ProbeRun bad) => bad.Reports.FirstOrDefault()?.Title ?? bad.Note ?? bad.Verdict;
}
