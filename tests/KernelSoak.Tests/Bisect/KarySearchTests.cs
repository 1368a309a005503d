using KernelSoak.Series;

namespace KernelSoak.Tests.Bisect;

/// <summary>The series search on k boards: k−1 cuts a round (⌈log_k n⌉ rounds), a second attempt on the k-th board.</summary>
public class KarySearchTests
{
    private static readonly SearchPolicy Policy = new(0.05, 1800, 60, SoakBadEnd: false);
    private static readonly IReadOnlyList<string> Ids = [.. Enumerable.Range(1, 64).Select(i => $"{i:0000}")];

    private static PointEvidence[] BadEndVerified()
    {
        var points = Enumerable.Repeat(PointEvidence.None, 64).ToArray();
        points[63] = points[63].With(new ProbeObservation(5, 1));
        return points;
    }

    [Test]
    public void Four_boards_cut_the_open_range_in_four_and_try_the_cut_nearest_the_bad_end_twice()
    {
        var round = KarySearch.Round(Ids, BadEndVerified(), Policy, boards: 4).Cast<ProbeNext>().ToList();
        Assert.That(round.Select(p => p.Index), Is.EqualTo(new[] { 15, 31, 47, 47 }), "between the base (−1) and the bad end (63)");
        Assert.That(round.All(p => p.Purpose == ProbePurpose.Narrow && p.Seconds == round[0].Seconds), Is.True, "each sized as the single search sizes its probe");
        Assert.That(round[0].Why, Does.Contain("4-ary round: cut 0016, 0032, 0048 between the base and 0064"));
        Assert.That(round[3].Why, Does.Contain("second attempt at 0048"));
    }

    [Test]
    public void One_board_is_the_adaptive_search_and_only_narrowing_is_spread()
    {
        var none = Enumerable.Repeat(PointEvidence.None, 64).ToArray();
        var first = KarySearch.Round(Ids, none, Policy, boards: 8);
        Assert.That(first, Has.Count.EqualTo(1), "the bad end is verified first, on one board");
        Assert.That(((ProbeNext)first[0]).Purpose, Is.EqualTo(ProbePurpose.BadEnd));
        Assert.That(KarySearch.Round(Ids, BadEndVerified(), Policy, boards: 1).Single(), Is.EqualTo(AdaptiveSearch.Next(Ids, BadEndVerified(), Policy)));
    }

    [Test]
    public void A_narrow_range_takes_no_more_cuts_than_it_has_points()
    {
        var points = BadEndVerified();
        points[60] = points[60].With(new ProbeObservation(60)); // clean: open range 61–62
        var round = KarySearch.Round(Ids, points, Policy, boards: 16).Cast<ProbeNext>().ToList();
        Assert.That(round.Select(p => p.Index), Is.EqualTo(new[] { 61, 62, 62 }));
    }

    [TestCase(1, 7)]
    [TestCase(4, 4)]
    [TestCase(8, 3)]
    [TestCase(16, 3)]
    public void A_bug_that_always_shows_takes_the_bad_end_plus_log_k_of_64_rounds(int boards, int rounds)
    {
        var strategy = new KaryStrategy(Policy, boards);
        for (var firstBad = 0; firstBad < 64; firstBad += 7)
        {
            var bug = new SimulatedBug(64, firstBad, 0.001);
            var run = strategy.Run(bug, SeriesSimulator.Prober(bug, new Random(firstBad)));
            Assert.That(run.Answer, Is.EqualTo(firstBad));
            Assert.That(run.Rounds, Is.LessThanOrEqualTo(rounds), $"first bad {firstBad}");
        }
    }
}
