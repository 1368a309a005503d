using System.Globalization;
using KernelSoak.Series;

/// <summary>The k-ary search on 1–16 boards over a 64-patch series: rounds and wall time (issue 21 item 3).</summary>
internal static class KaryTable
{
    public static void Print(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
        var seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 21;
        var d = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 60;
        var boot = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 60;
        var policy = new SearchPolicy(0.05, 1800, d, SoakBadEnd: true);
        IBisectStrategy[] strategies = [.. new[] { 1, 2, 4, 8, 16 }.Select(k => new KaryStrategy(policy, k))];
        Console.WriteLine($"{runs} seeded bisections a row (seed {seed}), 64 patches, first bad patch uniform; probe D = {d:0} s, {boot:0} s a boot (boards boot side by side); α = 0.05");
        Console.WriteLine("| bug: once per | boards | correct | mean rounds | mean wall time | mean probes | mean board time (all boards) |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (lo, hi, label) in new[] { (0.001, 0.001, "always (deterministic)"), (46.0, 46.0, "46 s"), (300.0, 300.0, "300 s") })
            foreach (var s in SeriesSimulator.Compare(strategies, runs, seed, 64, 64, lo, hi, boot))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {label} | {s.Strategy} | {s.FractionCorrect:P1} | {s.MeanRounds:0.0} | {s.MeanWallSeconds / 60:0.0} min | {s.MeanProbes:0.0} | {s.MeanBoardSeconds / 60:0.0} min |"));
    }
}
