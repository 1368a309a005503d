namespace KernelSoak.Series;

/// <summary>A series of <paramref name="Count"/> points whose bug arrives at <paramref name="FirstBad"/> and reports once per <paramref name="MeanIntervalSeconds"/> of stress (Poisson).</summary>
public sealed record SimulatedBug(int Count, int FirstBad, double MeanIntervalSeconds);

/// <summary>One simulated bisection: the answer (null: "no bad patch" or no answer), the stress time, the probes (each a boot), the stated probability of being wrong.</summary>
public sealed record SimulatedRun(int? Answer, double StressSeconds, int Probes, double? StatedWrong)
{
    /// <summary>Rounds of probes run at once on several boards (0: one probe a round).</summary>
    public int Rounds { get; init; }
    /// <summary>With <see cref="Rounds"/>: the stress time on the wall, each round as long as its longest probe.</summary>
    public double RoundStressSeconds { get; init; }
}

public interface IBisectStrategy
{
    string Name { get; }
    SimulatedRun Run(SimulatedBug bug, Func<int, double, ProbeObservation> probe);
}

/// <summary>The search of this project, driven by <see cref="AdaptiveSearch"/>.</summary>
public sealed class AdaptiveStrategy(SearchPolicy policy, string? name = null) : IBisectStrategy
{
    public string Name { get; } = name ?? $"adaptive (α = {policy.MissProbability:0.##}, ≤ {policy.MaxProbeSeconds:0} s a point)";

    public SimulatedRun Run(SimulatedBug bug, Func<int, double, ProbeObservation> probe)
    {
        var ids = Enumerable.Range(1, bug.Count).Select(i => $"{i:0000}").ToList();
        var points = Enumerable.Repeat(PointEvidence.None, bug.Count).ToArray();
        double stress = 0;
        for (var probes = 0; probes < 500; probes++)
        {
            switch (AdaptiveSearch.Next(ids, points, policy))
            {
                case SeriesAnswer a:
                    return new SimulatedRun(a.Kind == AnswerKind.FirstBad ? a.FirstBad : null, stress, probes, a.ProbabilityWrong);
                case ProbeNext p:
                    var seen = probe(p.Index, p.Seconds);
                    stress += seen.StressSeconds;
                    points[p.Index] = points[p.Index].With(seen);
                    break;
            }
        }
        throw new InvalidOperationException("the search did not end within 500 probes");
    }
}

/// <summary>The search on <paramref name="boards"/> boards at once, a round at a time (<see cref="KarySearch"/>).</summary>
public sealed class KaryStrategy(SearchPolicy policy, int boards) : IBisectStrategy
{
    public string Name { get; } = boards == 1 ? "adaptive, 1 board" : $"{boards}-ary, {boards} boards";

    public SimulatedRun Run(SimulatedBug bug, Func<int, double, ProbeObservation> probe)
    {
        var ids = Enumerable.Range(1, bug.Count).Select(i => $"{i:0000}").ToList();
        var points = Enumerable.Repeat(PointEvidence.None, bug.Count).ToArray();
        double stress = 0, wall = 0;
        var probes = 0;
        for (var rounds = 0; rounds < 500; rounds++)
        {
            var round = KarySearch.Round(ids, points, policy, boards);
            if (round[0] is SeriesAnswer a)
                return new SimulatedRun(a.Kind == AnswerKind.FirstBad ? a.FirstBad : null, stress, probes, a.ProbabilityWrong) { Rounds = rounds, RoundStressSeconds = wall };
            // The round's probes run side by side, each on its own board; the round ends with its longest.
            var seen = round.Cast<ProbeNext>().Select(p => (p.Index, Seen: probe(p.Index, p.Seconds))).ToList();
            foreach (var (index, observation) in seen) points[index] = points[index].With(observation);
            stress += seen.Sum(s => s.Seen.StressSeconds);
            wall += seen.Max(s => s.Seen.StressSeconds);
            probes += seen.Count;
        }
        throw new InvalidOperationException("the search did not end within 500 rounds");
    }
}

/// <summary>
/// Binary search with a fixed bar: <paramref name="runs"/> runs of <paramref name="seconds"/> per point, bad
/// when any run reports (a run stops at its report). One run is today's binary mode; ten is syzkaller's bisection.
/// </summary>
public sealed class FixedRunsStrategy(int runs, double seconds, string name) : IBisectStrategy
{
    public string Name { get; } = name;

    public SimulatedRun Run(SimulatedBug bug, Func<int, double, ProbeObservation> probe)
    {
        double stress = 0;
        var boots = 0;
        bool Bad(int point)
        {
            for (var r = 0; r < runs; r++)
            {
                var seen = probe(point, seconds);
                stress += seen.StressSeconds;
                boots++;
                if (seen.Reported) return true;
            }
            return false;
        }
        if (!Bad(bug.Count - 1)) return new SimulatedRun(null, stress, boots, null);
        int lo = -1, hi = bug.Count - 1;
        while (hi - lo > 1)
        {
            var mid = (lo + hi) / 2;
            if (Bad(mid)) hi = mid; else lo = mid;
        }
        return new SimulatedRun(hi, stress, boots, null);
    }
}

/// <summary>How a strategy fared over many seeded bisections.</summary>
public sealed record SimulationSummary(string Strategy, int Runs, double FractionCorrect, double MeanStressSeconds, double MeanProbes,
    double MeanBoardSeconds, double MeanStatedWrong, double MeanRounds, double MeanWallSeconds);

public static class SeriesSimulator
{
    /// <summary>
    /// Runs every strategy over the same <paramref name="runs"/> seeded bugs: series of
    /// <paramref name="minCount"/>–<paramref name="maxCount"/> points, the first bad one uniform, the mean
    /// interval log-uniform in [<paramref name="minInterval"/>, <paramref name="maxInterval"/>]. Board time is
    /// stress plus <paramref name="bootSeconds"/> per probe (install, reboot, smoke).
    /// </summary>
    public static IReadOnlyList<SimulationSummary> Compare(IReadOnlyList<IBisectStrategy> strategies, int runs, int seed,
        int minCount, int maxCount, double minInterval, double maxInterval, double bootSeconds)
    {
        var bugs = new Random(seed);
        var scenarios = Enumerable.Range(0, runs).Select(_ =>
        {
            var count = bugs.Next(minCount, maxCount + 1);
            var interval = Math.Exp(Math.Log(minInterval) + bugs.NextDouble() * (Math.Log(maxInterval) - Math.Log(minInterval)));
            return (Bug: new SimulatedBug(count, bugs.Next(count), interval), Seed: bugs.Next());
        }).ToList();
        return strategies.Select(strategy =>
        {
            var results = scenarios.Select(s => (s.Bug, Run: strategy.Run(s.Bug, Prober(s.Bug, new Random(s.Seed))))).ToList();
            return new SimulationSummary(strategy.Name, runs,
                results.Count(r => r.Run.Answer == r.Bug.FirstBad) / (double)runs,
                results.Average(r => r.Run.StressSeconds),
                results.Average(r => (double)r.Run.Probes),
                results.Average(r => r.Run.StressSeconds + bootSeconds * r.Run.Probes),
                results.Average(r => r.Run.StatedWrong ?? 1),
                results.Average(r => (double)Rounds(r.Run)),
                // Wall time: each round as long as its longest probe, plus one boot (the boards boot side by side).
                results.Average(r => (r.Run.Rounds > 0 ? r.Run.RoundStressSeconds : r.Run.StressSeconds) + bootSeconds * Rounds(r.Run)));
        }).ToList();
    }

    private static int Rounds(SimulatedRun run) => run.Rounds > 0 ? run.Rounds : run.Probes;

    /// <summary>A probe of <c>point</c> for <c>seconds</c>: the bug, when present, reports after an exponential time; the probe stops there.</summary>
    public static Func<int, double, ProbeObservation> Prober(SimulatedBug bug, Random random) => (point, seconds) =>
    {
        if (point < bug.FirstBad) return new ProbeObservation(seconds);
        var first = -Math.Log(1 - random.NextDouble()) * bug.MeanIntervalSeconds;
        return first < seconds ? new ProbeObservation(first, 1) : new ProbeObservation(seconds);
    };
}
