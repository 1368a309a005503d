using System.Globalization;
using KernelSoak.Series;

// PipelineSim seed
//   the seed plan's proportions (../shared/seed/iter6-v3-plan.txt: a 75-90 min KASAN+KCSAN build, a 20 min watch)
// PipelineSim measured PATCHES APPLY BUILD_COLD BUILD_WARM INSTALL BOOT STRESS HARVEST PREBUILD_SLOWDOWN WINDOW_SLOWDOWN
//   seconds measured on the emulated board (bench/pipeline.sh), as measured and as if the board were a real one (slowdowns 1)
var inv = CultureInfo.InvariantCulture;
string Min(double s) => (s / 60).ToString("0.0", inv);
void Table(string unit, Func<double, string> f, IEnumerable<(string Case, PhaseCosts Costs, int Patches, PipelineShare Share)> rows)
{
    Console.WriteLine($"| case | patches | serial {unit}/patch | pipelined {unit}/patch | ideal max(build, install + window) | pipelined / ideal | saved |");
    Console.WriteLine("|---|---|---|---|---|---|---|");
    foreach (var (name, costs, n, share) in rows)
    {
        var r = PipelineModel.Walk(costs, n, share);
        Console.WriteLine($"| {name} | {n} | {f(r.SerialPerPatch)} | {f(r.PipelinedPerPatch)} | {f(r.Ideal)} | {r.OverIdeal.ToString("0.00", inv)} | {r.Saved.ToString("0%", inv)} |");
    }
}

if (args is ["seed", ..])
{
    const double M = 60;
    var rows = new List<(string, PhaseCosts, int, PipelineShare)>();
    // The warm build (make's walk and links with every object in ccache) is only paid when the build fits in the window.
    foreach (var build in new[] { 75.0, 90.0 })
        rows.Add(($"walk, build {build:0} min", new PhaseCosts(Apply: 5, BuildCold: build * M, BuildWarm: 3 * M, Install: 2 * M, Boot: 3 * M, Stress: 15 * M, Harvest: 2 * M), 4, new PipelineShare()));
    var seed = new PhaseCosts(5, 80 * M, 3 * M, 2 * M, 3 * M, 15 * M, 2 * M);
    rows.Add(("walk, build 80 min, 8 patches", seed, 8, new PipelineShare()));
    rows.Add(("walk, build 80 min, host also 1.2× slower niced", seed, 4, new PipelineShare(PrebuildSlowdown: 1.2)));
    rows.Add(("search (2 candidates a window), build 80 min", seed, 4, new PipelineShare(Candidates: 2)));
    var module = seed with { BuildCold = 12 * M };
    rows.Add(("walk, module-only rebuild 12 min (the plan's 0004 step)", module, 4, new PipelineShare()));
    rows.Add(("search, module-only rebuild 12 min", module, 4, new PipelineShare(Candidates: 2)));
    Console.WriteLine("Seed proportions (minutes; apply 5 s, warm build 3, install 2, boot 3, stress 15, harvest 2: a 20 min window after the install; a baseline probe before patch 1):");
    Console.WriteLine();
    Table("min", Min, rows);
    return 0;
}
if (args is ["measured", ..] && args.Length == 11)
{
    var v = args[1..].Select(a => double.Parse(a, inv)).ToArray();
    var n = (int)v[0];
    var costs = new PhaseCosts(v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    var measured = new PipelineShare(PrebuildSlowdown: v[8], WindowSlowdown: v[9]);
    string S(double s) => s.ToString("0.0", inv);
    Console.WriteLine($"Measured costs (s): apply {S(costs.Apply)}, build cold {S(costs.BuildCold)}, warm {S(costs.BuildWarm)}, install {S(costs.Install)}, " +
        $"boot {S(costs.Boot)}, stress {S(costs.Stress)}, harvest {S(costs.Harvest)}; prebuild {S(v[8])}× a foreground build, window {S(v[9])}× with a prebuild beside it");
    Console.WriteLine();
    Table("s", S,
    [
        ("emulated board, as measured (board and build share 2 cores)", costs, n, measured),
        ("same costs, board not on the build host (slowdowns 1)", costs, n, new PipelineShare()),
        ("same costs, search (2 candidates), board not on the host", costs, n, new PipelineShare(Candidates: 2)),
    ]);
    return 0;
}
Console.Error.WriteLine("usage: PipelineSim seed | measured PATCHES APPLY BUILD_COLD BUILD_WARM INSTALL BOOT STRESS HARVEST PREBUILD_SLOWDOWN WINDOW_SLOWDOWN");
return 2;
