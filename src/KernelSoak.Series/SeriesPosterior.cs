namespace KernelSoak.Series;

/// <summary>
/// Where the bug entered, given the evidence: for each candidate first bad point j ≤ hi (the first point with
/// a hunted report), every probe at a point ≥ j was stressing the bug. With k hunted reports, the stress at
/// points known to hold the bug (E) and the clean time at the probed points from j up (S_j), a scale-free
/// prior on the rate gives the weight (E + S_j)^−k; the position prior is uniform over the series.
/// </summary>
/// <remarks>
/// Counting the clean time of every point that may hold the bug is what keeps the rate honest: a rate taken
/// from the probes that reported alone is biased fast (the probes that missed are left out, exactly the
/// ones that were too short), and probes sized to it miss far more often than promised.
/// </remarks>
public sealed class SeriesPosterior
{
    private readonly IReadOnlyList<PointEvidence> _points;
    private readonly int _hi;
    private readonly int _reports;
    private readonly double _exposure;
    private readonly double? _assumedInterval;

    public SeriesPosterior(IReadOnlyList<PointEvidence> points, int firstBad, double? assumedIntervalSeconds)
    {
        _points = points;
        _hi = firstBad;
        var holding = points.Skip(firstBad).Where(p => p.Testable).SelectMany(p => p.Probes).ToList();
        _reports = holding.Sum(p => p.HuntedReports);
        _exposure = holding.Sum(p => p.StressSeconds);
        _assumedInterval = assumedIntervalSeconds;
    }

    /// <summary>A rate is measured (a report with its stress time) or assumed; without one, nothing about misses can be said.</summary>
    public bool Known => _reports > 0 && _exposure > 0 || _assumedInterval is > 0;

    /// <summary>The probability that the first bad point is at or below <paramref name="at"/> with <paramref name="extra"/> more clean seconds at <paramref name="at"/>.</summary>
    public double? ProbabilityAtOrBelow(int at, double extra = 0)
    {
        if (!Known) return null;
        if (at < 0) return 0;
        var logs = LogWeights(at, extra);
        var max = logs.Max();
        var all = logs.Sum(l => Math.Exp(l - max));
        var below = logs.Take(at + 1).Sum(l => Math.Exp(l - max));
        return below / all;
    }

    /// <summary>The chance that <paramref name="mid"/>, if it holds the bug, stays clean for <paramref name="seconds"/> more, averaged over where the bug may have entered.</summary>
    public double? MissIfBad(int mid, double seconds)
    {
        if (!Known) return null;
        var logs = LogWeights(-1, 0).Take(mid + 1).ToList();
        var max = logs.Max();
        double weight = 0, miss = 0;
        for (var j = 0; j <= mid; j++)
        {
            var w = Math.Exp(logs[j] - max);
            weight += w;
            miss += w * Miss(ExposureFrom(j), seconds);
        }
        return miss / weight;
    }

    /// <summary>The seconds more at <paramref name="mid"/> that bring <see cref="MissIfBad"/> to ≤ p (capped at <paramref name="max"/>).</summary>
    public double? SecondsFor(int mid, double missProbability, double max) =>
        Known ? Solve(s => MissIfBad(mid, s)!.Value <= missProbability, max) : null;

    /// <summary>The seconds more at <paramref name="lo"/> that bring the chance that the bug is at or below it to ≤ p (capped).</summary>
    public double? SecondsToConfirm(int lo, double probabilityWrong, double max) =>
        Known ? Solve(s => ProbabilityAtOrBelow(lo, s)!.Value <= probabilityWrong, max) : null;

    private IEnumerable<double> LogWeights(int extraAt, double extra) => Enumerable.Range(0, _hi + 1).Select(j =>
    {
        var x = ExposureFrom(j) + (j <= extraAt ? extra : 0);
        return _reports > 0 && _exposure > 0 ? -_reports * Math.Log(x) : -(x - _exposure) / _assumedInterval!.Value;
    });

    /// <summary>E + the clean time at points j..hi−1 (all of which hold the bug when it entered at j).</summary>
    private double ExposureFrom(int j) => _exposure + Enumerable.Range(j, Math.Max(0, _hi - j)).Where(i => _points[i].Clean).Sum(i => _points[i].StressSeconds);

    private double Miss(double exposure, double seconds) => _reports > 0 && _exposure > 0
        ? Math.Pow(exposure / (exposure + seconds), _reports)
        : Math.Exp(-seconds / _assumedInterval!.Value);

    /// <summary>The least s in [0, max] that satisfies a monotone condition (max when none does), to a tenth of a second.</summary>
    private static double Solve(Func<double, bool> ok, double max)
    {
        if (ok(0)) return 0;
        if (!ok(max)) return max;
        double lo = 0, hi = max;
        while (hi - lo > 0.1)
        {
            var mid = (lo + hi) / 2;
            if (ok(mid)) hi = mid; else lo = mid;
        }
        return hi;
    }
}
