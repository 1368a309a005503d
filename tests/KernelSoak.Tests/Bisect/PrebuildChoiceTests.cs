using KernelSoak.Series;

namespace KernelSoak.Tests.Bisect;

/// <summary>Which kernels a probe's window builds ahead: the next patch of a walk, both possible next midpoints of a search.</summary>
public class PrebuildChoiceTests
{
    private static readonly SearchPolicy Policy = new(0.05, 1800, 60, SoakBadEnd: false);
    private static readonly IReadOnlyList<string> Ids = [.. Enumerable.Range(1, 16).Select(i => $"{i:0000}")];

    [Test]
    public void A_walk_builds_the_next_patch_and_the_first_one_during_the_baseline()
    {
        Assert.That(PrebuildChoice.Sequential(4, 1, _ => false), Is.EqualTo(new[] { 2 }));
        Assert.That(PrebuildChoice.Sequential(4, -1, _ => false), Is.EqualTo(new[] { 0 }), "the baseline's window builds patch 1");
    }

    [Test]
    public void A_walk_builds_nothing_past_its_end_nor_a_patch_with_a_verdict()
    {
        Assert.That(PrebuildChoice.Sequential(4, 3, _ => false), Is.Empty);
        Assert.That(PrebuildChoice.Sequential(4, 1, i => i == 2), Is.Empty, "a recorded verdict is never built again");
    }

    [Test]
    public void A_search_verifying_its_bad_end_builds_the_midpoint_for_a_report_only()
    {
        var none = Enumerable.Repeat(PointEvidence.None, 16).ToArray();
        var badEnd = (ProbeNext)AdaptiveSearch.Next(Ids, none, Policy);
        Assert.That(badEnd.Index, Is.EqualTo(15));
        Assert.That(PrebuildChoice.Binary(Ids, none, Policy, null), Is.EqualTo(new[] { 15 }), "before the first probe: the bad end itself");
        // Clean, the search soaks on or answers "no bad patch": nothing new to build.
        Assert.That(PrebuildChoice.Binary(Ids, none, Policy, badEnd), Is.EqualTo(new[] { 7 }));
    }

    [Test]
    public void A_search_narrowing_builds_both_possible_next_midpoints()
    {
        var points = Enumerable.Repeat(PointEvidence.None, 16).ToArray();
        points[15] = points[15].With(new ProbeObservation(5, 1));
        var mid = (ProbeNext)AdaptiveSearch.Next(Ids, points, Policy);
        Assert.That(mid.Index, Is.EqualTo(7));
        var both = PrebuildChoice.Binary(Ids, points, Policy, mid);
        Assert.That(both, Is.EqualTo(new[] { 3, 11 }), "bad at 0008: between the base and it; clean: between it and 0016");
        foreach (var (outcome, index) in new[] { (1, 3), (0, 11) })
        {
            var after = points.ToArray();
            after[7] = after[7].With(new ProbeObservation(mid.Seconds, outcome));
            Assert.That(((ProbeNext)AdaptiveSearch.Next(Ids, after, Policy)).Index, Is.EqualTo(index), "what the search really does next was prebuilt");
        }
    }

    [Test]
    public void A_search_skips_untestable_points_and_the_point_it_is_probing()
    {
        var points = Enumerable.Repeat(PointEvidence.None, 4).ToArray();
        points[3] = points[3].With(new ProbeObservation(5, 1));
        points[0] = new PointEvidence([], Untestable.BuildFailed);
        var ids = Ids.Take(4).ToList();
        var mid = (ProbeNext)AdaptiveSearch.Next(ids, points, Policy);
        var chosen = PrebuildChoice.Binary(ids, points, Policy, mid);
        Assert.That(chosen, Does.Not.Contain(0).And.Not.Contain(mid.Index));
        Assert.That(chosen.All(i => points[i].Testable), Is.True);
    }
}
