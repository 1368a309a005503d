namespace KernelSoak.Soak;

/// <summary>Where a binary search over a patch series stands, given the verdicts recorded so far.</summary>
public sealed record SearchState(int? Next, int? FirstBad, string Why)
{
    public bool Done => Next is null;
}

/// <summary>
/// git-bisect over a cumulative series: patch k stands for "base + patches 0..k". The bad end (all
/// patches) is probed first; the good end is the base (the baseline probe's reports are pre-existing).
/// The state is recomputed from the recorded verdicts each time, so a killed search resumes by itself.
/// </summary>
public static class SeriesSearch
{
    public static SearchState Next(IReadOnlyList<string> patchIds, IReadOnlyDictionary<string, string> verdicts)
    {
        var n = patchIds.Count;
        if (n == 0) return new(null, null, "the series is empty");
        string? V(int i) => verdicts.GetValueOrDefault(patchIds[i]);
        if (V(n - 1) is not { } last) return new(n - 1, null, $"verify the bad end first: the whole series ({patchIds[^1]})");
        if (IsUntestable(last)) return new(null, null, $"the whole series cannot be tested ({patchIds[^1]}: {last})");
        if (last == Verdicts.Clean) return new(null, null, $"the whole series is clean ({patchIds[^1]}): no bad patch");

        var hi = Enumerable.Range(0, n).First(i => V(i) is { } v && IsBad(v));
        var lo = Enumerable.Range(0, hi).LastOrDefault(i => V(i) == Verdicts.Clean, -1);
        if (hi - lo == 1) return new(null, hi, $"first bad patch {patchIds[hi]} ({V(hi)}), {(lo < 0 ? "the base" : patchIds[lo])} clean");
        var mid = (lo + hi) / 2;
        if (V(mid) is { } skipped && IsUntestable(skipped))
            return new(null, null, $"{patchIds[mid]} cannot be tested ({skipped}): the first bad patch is between {(lo < 0 ? "the base" : patchIds[lo])} and {patchIds[hi]}");
        return new(mid, null, $"bad at {patchIds[hi]}, good at {(lo < 0 ? "the base" : patchIds[lo])}: probe {patchIds[mid]}");
    }

    public static bool IsBad(string verdict) => verdict is Verdicts.Report or Verdicts.Wedge or Verdicts.NoBoot;

    /// <summary>A verdict that says nothing about the bug (like git bisect skip).</summary>
    public static bool IsUntestable(string verdict) => verdict is Verdicts.BuildFailed or Verdicts.ApplyFailed or Verdicts.InfraError;

    /// <summary>The most probes a search of <paramref name="count"/> patches needs: the bad end plus ⌈log2 count⌉.</summary>
    public static int MaxProbes(int count) => count <= 1 ? count : 1 + (int)Math.Ceiling(Math.Log2(count));
}
