namespace KernelSoak.Series;

/// <summary>
/// The series search on k boards at once. While the first bad point is being narrowed, one round probes k−1
/// points that cut the open range into k equal parts (a k-ary search: ⌈log_k n⌉ rounds instead of ⌈log2 n⌉),
/// each sized as <see cref="AdaptiveSearch"/> sizes its single probe; the k-th board takes a second attempt at
/// the cut nearest the bad end, the point whose clean result would move the bracket most (a flaky bug's miss
/// there costs most). Any other decision (verify the bad end, measure the rate, confirm, answer) is the
/// adaptive search's own, on one board. Every round is recomputed from the evidence, so a killed round resumes.
/// </summary>
public static class KarySearch
{
    /// <summary>This round's probes (at most <paramref name="boards"/>, one board each), or the answer.</summary>
    public static IReadOnlyList<SearchDecision> Round(IReadOnlyList<string> ids, IReadOnlyList<PointEvidence> points, SearchPolicy policy, int boards)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(boards, 1);
        var first = AdaptiveSearch.Next(ids, points, policy);
        if (boards == 1 || first is not ProbeNext { Purpose: ProbePurpose.Narrow } narrow) return [first];
        var hi = Enumerable.Range(0, points.Count).First(i => points[i].Bad);
        var lo = Enumerable.Range(0, hi).LastOrDefault(i => points[i].Clean, -1);
        var open = Enumerable.Range(lo + 1, hi - lo - 1).Where(i => points[i].Testable).ToList();
        var cuts = new List<int>();
        for (var j = 1; j < boards && cuts.Count < open.Count; j++)
        {
            var target = lo + (hi - lo) * j / (double)boards;
            cuts.Add(open.Where(i => !cuts.Contains(i)).OrderBy(i => Math.Abs(i - target)).ThenBy(i => i).First());
        }
        cuts.Sort();
        var round = cuts.Select(i => (SearchDecision)new ProbeNext(i, narrow.Seconds, ProbePurpose.Narrow,
            $"{boards}-ary round: cut {string.Join(", ", cuts.Select(c => ids[c]))} between {(lo < 0 ? "the base" : ids[lo])} and {ids[hi]}")).ToList();
        if (round.Count < boards)
            round.Add(new ProbeNext(cuts[^1], narrow.Seconds, ProbePurpose.Narrow, $"second attempt at {ids[cuts[^1]]}, the cut nearest the bad end, on another board"));
        return round;
    }
}
