using KernelSoak.Series;

namespace KernelSoak.Tests.Bisect;

/// <summary>
/// The proof on a smaller seeded run (bench/bisect-sim.sh runs thousands): seeded flaky bugs with a
/// known rate (once per 10–600 s), series of 4–64 patches, the first bad patch anywhere.
/// </summary>
public class SimulatedBisectionTests
{
    private static IReadOnlyList<SimulationSummary> Run(int runs, int seed) => SeriesSimulator.Compare(
    [
        new AdaptiveStrategy(new SearchPolicy(0.05, 1800, 60, SoakBadEnd: true)),
        new FixedRunsStrategy(1, 60, "fixed"),
        new FixedRunsStrategy(10, 60, "syzkaller"),
    ], runs, seed, 4, 64, 10, 600, 60);

    [Test]
    public void The_adaptive_search_is_right_at_least_95_percent_of_the_time_and_needs_less_board_time_than_10_runs_a_point()
    {
        var (adaptive, fixedOne, syzkaller) = Run(1200, 2026) switch { var r => (r[0], r[1], r[2]) };
        TestContext.Out.WriteLine(string.Join("\n", new[] { adaptive, fixedOne, syzkaller }.Select(s => $"{s.Strategy}: {s.FractionCorrect:P1} correct, {s.MeanBoardSeconds / 60:0.0} min")));
        Assert.That(adaptive.FractionCorrect, Is.GreaterThanOrEqualTo(0.95));
        Assert.That(adaptive.MeanBoardSeconds, Is.LessThan(syzkaller.MeanBoardSeconds));
        Assert.That(syzkaller.FractionCorrect, Is.LessThan(0.95), "a fixed bar misses the rare bugs");
        Assert.That(fixedOne.FractionCorrect, Is.LessThan(0.6), "one fixed probe a point is today's trap");
    }

    [Test]
    public void The_stated_probability_of_being_wrong_is_not_optimistic()
    {
        var adaptive = Run(1200, 7)[0];
        // Rare bugs hit series.max_probe_s and say so: the statement may be pessimistic, never much too sure.
        Assert.That(1 - adaptive.FractionCorrect, Is.LessThanOrEqualTo(adaptive.MeanStatedWrong + 0.01));
        Assert.That(adaptive.MeanStatedWrong, Is.LessThan(0.15));
    }

    [Test]
    public void Simulations_are_reproducible_from_their_seed()
    {
        Assert.That(Run(100, 3), Is.EqualTo(Run(100, 3)));
        Assert.That(Run(100, 3)[0], Is.Not.EqualTo(Run(100, 4)[0]));
    }
}
