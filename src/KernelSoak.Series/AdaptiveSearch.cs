namespace KernelSoak.Series;

/// <summary>
/// git bisect over a cumulative series for a flaky bug. Point i is "base + patches 0..i"; the base is good
/// (the baseline's titles are pre-existing). A hunted report never lies, so the first point with one is an
/// upper bound; a clean point only rules the bug out as far as its stress time and the bug's rate allow.
/// The search therefore (1) verifies the bad end, soaking it when asked; (2) narrows with probes sized from
/// the measured rate to miss ≤ series.miss_probability; (3) before answering, soaks the clean neighbour of
/// the first bad point until the answer as a whole is wrong with probability ≤ series.miss_probability.
/// A point that cannot be tested is skipped (git bisect skip) and the answer names the range it leaves.
/// Every decision is recomputed from the evidence, so a killed search resumes by itself.
/// </summary>
public static class AdaptiveSearch
{
    /// <summary>Past this many reports the rate is known well enough that measuring it more does not pay.</summary>
    private const int MeasuredEnough = 10;

    public static SearchDecision Next(IReadOnlyList<string> ids, IReadOnlyList<PointEvidence> points, SearchPolicy policy)
    {
        if (ids.Count != points.Count) throw new ArgumentException($"{ids.Count} ids but {points.Count} points");
        var n = ids.Count;
        string Name(int i) => i < 0 ? "the base" : ids[i];
        var top = LastTestable(points, n - 1);
        if (top < 0)
            return new SeriesAnswer(AnswerKind.NothingTestable, null, -1, [.. Enumerable.Range(0, n)], 0, null, Rate(points, n, policy),
                n == 0 ? "the series is empty" : $"no point of the series can be tested ({Untestables(ids, points, 0, n - 1)})");
        var hi = Enumerable.Range(0, n).FirstOrDefault(i => points[i].Bad, -1);
        if (hi < 0) return BadEnd(ids, points, policy, top);

        var rate = Rate(points, hi, policy);
        var posterior = new SeriesPosterior(points, hi, policy.AssumedIntervalSeconds);
        var lo = Enumerable.Range(0, hi).LastOrDefault(i => points[i].Clean, -1);
        var open = Enumerable.Range(lo + 1, hi - lo - 1).Where(i => points[i].Testable).ToList();
        if (open.Count > 0)
        {
            var middle = (lo + hi) / 2.0;
            var mid = open.OrderBy(i => Math.Abs(i - middle)).ThenBy(i => i).First();
            var room = policy.MaxProbeSeconds - points[mid].StressSeconds;
            var seconds = Math.Clamp(posterior.SecondsFor(mid, policy.MissProbability, room) ?? policy.InitialProbeSeconds, SearchPolicy.MinProbeSeconds, Math.Max(room, SearchPolicy.MinProbeSeconds));
            var skipped = open.Count == hi - lo - 1 ? "" : $" ({Untestables(ids, points, lo + 1, hi - 1)} cannot be tested)";
            var sizing = posterior.Known ? $"were it bad, missed with probability ≤ {PoissonBounds.Percent(policy.MissProbability)}; {rate.Describe()}" : "no rate measured: the campaign's probe length";
            return new ProbeNext(mid, seconds, ProbePurpose.Narrow, $"bad at {Name(hi)}, good at {Name(lo)}: probe {Name(mid)}{skipped} for {PoissonBounds.Seconds(seconds)} ({sizing})");
        }

        var have = lo < 0 ? 0 : points[lo].StressSeconds;
        var loRoom = policy.MaxProbeSeconds - have;
        if (lo >= 0 && posterior.SecondsToConfirm(lo, policy.MissProbability, loRoom) is { } needed)
        {
            // Out of budget at lo before the answer is sure enough: the rate may just be badly known (one or two
            // reports say little). More reports at the first bad point narrow it, for as long as its own budget lasts.
            var hiRoom = policy.MaxProbeSeconds - points[hi].StressSeconds;
            if (posterior.ProbabilityAtOrBelow(lo, needed) > policy.MissProbability && hiRoom >= SearchPolicy.MinProbeSeconds && rate.Reports < MeasuredEnough)
            {
                var seconds = Math.Clamp(3 * (rate.MeanIntervalSeconds ?? policy.InitialProbeSeconds), SearchPolicy.MinProbeSeconds, hiRoom);
                return new ProbeNext(hi, seconds, ProbePurpose.MeasureRate,
                    $"first bad patch {Name(hi)} if {Name(lo)} is really clean, but {rate.Describe()} is too uncertain to say so within series.max_probe_s: " +
                    $"stress {Name(hi)} again for up to {PoissonBounds.Seconds(seconds)} to measure the rate");
            }
        }
        if (lo >= 0 && posterior.SecondsToConfirm(lo, policy.MissProbability, loRoom) is { } extra && Short(have, have + extra))
        {
            var more = Math.Max(extra, SearchPolicy.MinProbeSeconds);
            return new ProbeNext(lo, more, ProbePurpose.Confirm,
                $"first bad patch {Name(hi)} if {Name(lo)} is really clean: soak {Name(lo)} {PoissonBounds.Seconds(more)} more " +
                $"({PoissonBounds.Seconds(have)} so far; {rate.Describe()})");
        }
        return FirstBadAnswer(ids, points, policy, hi, lo);
    }

    /// <summary>The answer as the evidence stands, without asking for more probes (a sequential walk's summary, a search stopped early).</summary>
    public static SeriesAnswer AnswerNow(IReadOnlyList<string> ids, IReadOnlyList<PointEvidence> points, SearchPolicy policy)
    {
        var hi = Enumerable.Range(0, points.Count).FirstOrDefault(i => points[i].Bad, -1);
        if (hi >= 0) return FirstBadAnswer(ids, points, policy, hi, Enumerable.Range(0, hi).LastOrDefault(i => points[i].Clean, -1));
        var top = Enumerable.Range(0, points.Count).LastOrDefault(i => points[i].Clean, -1);
        return top >= 0 ? NoBadAnswer(ids, points, policy, top)
            : new SeriesAnswer(AnswerKind.NothingTestable, null, -1, [], 0, null, Rate(points, points.Count, policy), "no point of the series was probed");
    }

    private static SeriesAnswer FirstBadAnswer(IReadOnlyList<string> ids, IReadOnlyList<PointEvidence> points, SearchPolicy policy, int hi, int lo)
    {
        string Name(int i) => i < 0 ? "the base" : ids[i];
        var rate = Rate(points, hi, policy);
        var have = lo < 0 ? 0 : points[lo].StressSeconds;
        var wrong = new SeriesPosterior(points, hi, policy.AssumedIntervalSeconds).ProbabilityAtOrBelow(lo);
        var between = hi - lo > 1 ? Untestables(ids, points, lo + 1, hi - 1) : "";
        var range = hi - lo > 1 ? $"one of {Name(lo + 1)}…{Name(hi)} ({(between.Length > 0 ? between + " cannot be tested" : "not probed")})" : Name(hi);
        var why = $"first bad patch {range}, {Name(lo)} clean" + (lo < 0 ? "" : $" ({PoissonBounds.Describe(have, policy.MissProbability)})") +
                  $"; {rate.Describe()}; {WrongText(wrong)}";
        return new SeriesAnswer(AnswerKind.FirstBad, hi, lo, [.. Enumerable.Range(lo + 1, hi - lo - 1)], have, wrong, rate, why);
    }

    /// <summary>No report anywhere yet: probe the highest testable point, soak it when asked, then call the series clean.</summary>
    private static SearchDecision BadEnd(IReadOnlyList<string> ids, IReadOnlyList<PointEvidence> points, SearchPolicy policy, int top)
    {
        var rate = new RateEstimate(0, 0, policy.AssumedIntervalSeconds);
        var have = points[top].StressSeconds;
        var target = policy.SoakBadEnd ? policy.MaxProbeSeconds
            : Math.Min(rate.CleanSecondsFor(policy.MissProbability) ?? policy.InitialProbeSeconds, policy.MaxProbeSeconds);
        var whole = top == ids.Count - 1 ? $"the whole series ({ids[top]})" : $"{ids[top]}, the highest point that can be tested ({Untestables(ids, points, top + 1, ids.Count - 1)} cannot)";
        if (have <= 0)
        {
            var first = Math.Clamp(Math.Min(target, rate.Known ? target : policy.InitialProbeSeconds), SearchPolicy.MinProbeSeconds, policy.MaxProbeSeconds);
            return new ProbeNext(top, first, ProbePurpose.BadEnd, $"verify the bad end first: {whole} for {PoissonBounds.Seconds(first)}");
        }
        if (Short(have, target))
        {
            var more = Math.Max(target - have, SearchPolicy.MinProbeSeconds);
            return new ProbeNext(top, more, ProbePurpose.SoakBadEnd,
                $"no report at the bad end yet ({PoissonBounds.Describe(have, policy.MissProbability)}): soak {ids[top]} {PoissonBounds.Seconds(more)} more (series.soak_bad_end, up to series.max_probe_s)");
        }
        return NoBadAnswer(ids, points, policy, top);
    }

    private static SeriesAnswer NoBadAnswer(IReadOnlyList<string> ids, IReadOnlyList<PointEvidence> points, SearchPolicy policy, int top)
    {
        var rate = new RateEstimate(0, 0, policy.AssumedIntervalSeconds);
        var have = points[top].StressSeconds;
        var above = Untestables(ids, points, top + 1, ids.Count - 1);
        var whole = top == ids.Count - 1 ? $"the whole series ({ids[top]})" : $"{ids[top]}, the highest point probed,";
        var wrong = rate.MissProbability(have);
        var untested = top == ids.Count - 1 ? ""
            : above.Length > 0 ? $"; {above} cannot be tested, the bug may be there" : $"; {ids[top + 1]}…{ids[^1]} not probed";
        var noReport = rate.Known ? "" : "; no report was ever seen, so no rate is measured: a rarer bug is not ruled out";
        return new SeriesAnswer(AnswerKind.NoBadPatch, null, top, [.. Enumerable.Range(top + 1, ids.Count - top - 1)], have, wrong, rate,
            $"{whole} is clean: no bad patch ({PoissonBounds.Describe(have, policy.MissProbability)}){untested}{noReport}; {WrongText(wrong)}");
    }

    /// <summary>The rate from every probe at a point known to hold the bug (at or above the first bad one).</summary>
    public static RateEstimate Rate(IReadOnlyList<PointEvidence> points, int firstBad, SearchPolicy policy)
    {
        var holding = points.Skip(firstBad).Where(p => p.Testable).SelectMany(p => p.Probes).ToList();
        return new RateEstimate(holding.Sum(p => p.HuntedReports), holding.Sum(p => p.StressSeconds), policy.AssumedIntervalSeconds);
    }

    public static string WrongText(double? p) => p is { } x
        ? $"probability that this answer is wrong: {PoissonBounds.Percent(x)}"
        : "probability that this answer is wrong: unknown (no rate measured or assumed)";

    /// <summary>Another probe is due when anything is missing (it is never shorter than <see cref="SearchPolicy.MinProbeSeconds"/>; a window that ran to its end records the length it was given, so this does not repeat).</summary>
    private static bool Short(double have, double target) => target - have > 0.05;

    private static int LastTestable(IReadOnlyList<PointEvidence> points, int from)
    {
        for (var i = from; i >= 0; i--) if (points[i].Testable) return i;
        return -1;
    }

    private static string Untestables(IReadOnlyList<string> ids, IReadOnlyList<PointEvidence> points, int from, int to) =>
        string.Join(", ", Enumerable.Range(from, Math.Max(0, to - from + 1)).Where(i => !points[i].Testable)
            .Select(i => $"{ids[i]}: {Text(points[i].CannotTest!.Value)}"));

    public static string Text(Untestable u) => u switch
    {
        Untestable.ApplyFailed => "apply-failed",
        Untestable.BuildFailed => "build-failed",
        _ => "no-boot",
    };

}
