using KernelSoak.Soak;

namespace KernelSoak.Tests.Bisect;

public class SeriesSearchTests
{
    private static readonly string[] Ids = [.. Enumerable.Range(1, 16).Select(i => $"{i:0000}")];

    /// <summary>Runs the search against a series whose patches from <paramref name="firstBad"/> on are bad.</summary>
    private static (SearchState End, List<string> Probed) Search(int count, int? firstBad, Func<int, string>? verdictOf = null)
    {
        var ids = Ids.Take(count).ToList();
        var verdicts = new Dictionary<string, string>();
        var probed = new List<string>();
        while (true)
        {
            var state = SeriesSearch.Next(ids, verdicts);
            if (state.Done) return (state, probed);
            var i = state.Next!.Value;
            Assert.That(verdicts, Does.Not.ContainKey(ids[i]), "never probes a patch twice");
            probed.Add(ids[i]);
            verdicts[ids[i]] = verdictOf?.Invoke(i) ?? (firstBad is { } b && i >= b ? Verdicts.Report : Verdicts.Clean);
        }
    }

    [Test]
    public void Finds_every_first_bad_position_in_at_most_1_plus_log2_n_probes([Values(1, 2, 3, 4, 7, 8, 16)] int count)
    {
        for (var bad = 0; bad < count; bad++)
        {
            var (end, probed) = Search(count, bad);
            Assert.That(end.FirstBad, Is.EqualTo(bad), $"{count} patches, first bad {bad}");
            Assert.That(probed[0], Is.EqualTo(Ids[count - 1]), "the bad end is verified first");
            Assert.That(probed, Has.Count.LessThanOrEqualTo(SeriesSearch.MaxProbes(count)));
        }
    }

    [Test]
    public void A_clean_series_needs_one_probe_and_names_no_patch()
    {
        var (end, probed) = Search(8, null);
        Assert.That((end.FirstBad, probed.Count), Is.EqualTo(((int?)null, 1)));
        Assert.That(end.Why, Does.Contain("no bad patch"));
    }

    [Test]
    public void A_wedge_or_no_boot_is_bad_too()
    {
        Assert.That(Search(8, null, i => i >= 5 ? Verdicts.Wedge : Verdicts.Clean).End.FirstBad, Is.EqualTo(5));
        Assert.That(Search(8, null, i => i >= 2 ? Verdicts.NoBoot : Verdicts.Clean).End.FirstBad, Is.EqualTo(2));
    }

    [Test]
    public void An_untestable_midpoint_stops_with_the_range_it_could_not_narrow()
    {
        var (end, _) = Search(8, null, i => i == 3 ? Verdicts.BuildFailed : i >= 5 ? Verdicts.Report : Verdicts.Clean);
        Assert.That(end.FirstBad, Is.Null);
        Assert.That(end.Why, Does.Contain("0004 cannot be tested (build-failed)"));
    }

    [Test]
    public void A_search_resumes_from_the_recorded_verdicts()
    {
        var ids = Ids.Take(8).ToList();
        var state = SeriesSearch.Next(ids, new Dictionary<string, string> { ["0008"] = Verdicts.Report, ["0004"] = Verdicts.Clean });
        Assert.That(state.Next, Is.EqualTo(5), "between 0004 (good) and 0008 (bad): 0006");
    }
}
