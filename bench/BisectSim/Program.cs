using System.Globalization;
using KernelSoak.Series;

// Usage: BisectSim [runs] [seed] [probe seconds D] [boot seconds]
//        BisectSim kary [runs] [seed] [probe seconds D] [boot seconds]   (1, 2, 4, 8, 16 boards over 64 patches)
if (args.Length > 0 && args[0] == "kary")
{
    KaryTable.Print(args[1..]);
    return;
}
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 4000;
var seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 22;
var d = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 60;
var boot = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 60;
var policy = new SearchPolicy(0.05, 1800, d, SoakBadEnd: true);
IBisectStrategy[] strategies =
[
    new AdaptiveStrategy(policy, "adaptive"),
    new FixedRunsStrategy(1, d, $"(a) fixed: 1 × {d:0} s a point"),
    new FixedRunsStrategy(10, d, $"(b) syzkaller: 10 × {d:0} s a point"),
];
Console.WriteLine($"{runs} seeded bisections a row (seed {seed}), series of 4–64 patches, first bad patch uniform; probe D = {d:0} s, {boot:0} s a boot; α = 0.05, max_probe_s = 1800");
Console.WriteLine("| bug: once per | strategy | correct | mean stress | mean probes (boots) | mean board time | mean stated P(wrong) |");
Console.WriteLine("|---|---|---|---|---|---|---|");
foreach (var (lo, hi, label) in new[] { (10.0, 10.0, "10 s"), (46, 46, "46 s"), (120, 120, "120 s"), (300, 300, "300 s"), (5, 600, "5–600 s (log-uniform)") })
    foreach (var s in SeriesSimulator.Compare(strategies, runs, seed, 4, 64, lo, hi, boot))
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {s.Strategy} | {s.FractionCorrect:P1} | {s.MeanStressSeconds / 60:0.0} min | {s.MeanProbes:0.0} | {s.MeanBoardSeconds / 60:0.0} min | {(s.Strategy.StartsWith("adaptive", StringComparison.Ordinal) ? s.MeanStatedWrong.ToString("P1", CultureInfo.InvariantCulture) : "—")} |"));
