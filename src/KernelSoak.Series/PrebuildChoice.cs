namespace KernelSoak.Series;

/// <summary>
/// Which kernels to build in the background while a probe boots and stresses (series.pipeline): the points the
/// series will probe next whatever this probe's verdict. A prebuild only warms the compiler cache, so a wrong
/// guess costs host CPU, never a verdict; every choice here is recomputed from the evidence, like the search itself.
/// </summary>
public static class PrebuildChoice
{
    /// <summary>
    /// A sequential walk probing point <paramref name="probing"/> (−1: the unpatched baseline): the next patch,
    /// unless the walk ends here or that patch already has a verdict (then it is never built again).
    /// </summary>
    public static IReadOnlyList<int> Sequential(int count, int probing, Func<int, bool> recorded)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(probing, -1);
        var next = probing + 1;
        return next < count && !recorded(next) ? [next] : [];
    }

    /// <summary>
    /// A binary search about to run <paramref name="probe"/> (null: nothing chosen yet, as while the baseline is
    /// probed): the point the search names next were this probe to report, then the one were it clean; points
    /// equal to the probed one (built already), repeated or untestable are left out.
    /// </summary>
    public static IReadOnlyList<int> Binary(IReadOnlyList<string> ids, IReadOnlyList<PointEvidence> points, SearchPolicy policy, ProbeNext? probe)
    {
        if (probe is null)
            return AdaptiveSearch.Next(ids, points, policy) is ProbeNext first && points[first.Index].Testable ? [first.Index] : [];
        var outcomes = new[] { new ProbeObservation(probe.Seconds, HuntedReports: 1), new ProbeObservation(probe.Seconds) };
        return outcomes
            .Select(o => AdaptiveSearch.Next(ids, [.. points.Select((p, i) => i == probe.Index ? p.With(o) : p)], policy))
            .OfType<ProbeNext>()
            .Select(n => n.Index)
            .Where(i => i != probe.Index && points[i].Testable)
            .Distinct()
            .ToList();
    }
}
