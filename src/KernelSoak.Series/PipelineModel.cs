namespace KernelSoak.Series;

/// <summary>
/// What one probe of a series costs, in seconds, phase by phase. <paramref name="BuildCold"/>: the kernel build of a
/// patch nothing has compiled yet; <paramref name="BuildWarm"/>: the same build when every object is in the compiler
/// cache (make's walk, the links, modules_install). <paramref name="Boot"/> + <paramref name="Stress"/> +
/// <paramref name="Harvest"/> is the window a background build overlaps.
/// </summary>
public sealed record PhaseCosts(double Apply, double BuildCold, double BuildWarm, double Install, double Boot, double Stress, double Harvest)
{
    /// <summary>From the install's end to the verdict: the window a prebuild runs in.</summary>
    public double Window => Boot + Stress + Harvest;
    public double Serial => Apply + BuildCold + Install + Window;
    /// <summary>The objects a patch makes the compiler build: what a prebuild can take off the foreground.</summary>
    public double Compile => Math.Max(0, BuildCold - BuildWarm);
}

/// <summary>
/// How a prebuild and a probe share the host. <paramref name="PrebuildSlowdown"/>: wall time of a background build over
/// the same build alone (niced under an emulated board: more than 1). <paramref name="WindowSlowdown"/>: the probe's
/// window with a build beside it over the window alone (an emulated board on the same cores: more than 1; a real
/// board: 1). <paramref name="Candidates"/>: kernels prebuilt one after the other per window (a binary search: 2,
/// the next probe being either with equal chance).
/// </summary>
public sealed record PipelineShare(double PrebuildSlowdown = 1, double WindowSlowdown = 1, int Candidates = 1);

/// <summary>A series walked serially and pipelined: totals and per patch, and the ideal max(build, probe) per patch.</summary>
public sealed record PipelineResult(int Patches, double Serial, double Pipelined, double Ideal)
{
    public double SerialPerPatch => Serial / Patches;
    public double PipelinedPerPatch => Pipelined / Patches;
    public double Saved => 1 - Pipelined / Serial;
    /// <summary>Pipelined per patch over the ideal: 1 is the goal.</summary>
    public double OverIdeal => PipelinedPerPatch / Ideal;
}

/// <summary>
/// Wall time of a series with and without builds pipelined with probes, from measured phase costs. Each probe
/// of patch k is apply + build + install + window. Pipelined, the next kernel is built (apply included) in a
/// second tree from the install's end; whatever it compiled before the next foreground build starts is a cache
/// hit there, the rest the foreground compiles (a prebuild still running then is stopped). The first patch is
/// prebuilt while the baseline is probed, when there is one (its window is not counted in either total).
/// </summary>
public static class PipelineModel
{
    public static PipelineResult Walk(PhaseCosts costs, int patches, PipelineShare? share = null, bool baseline = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(patches, 1);
        var s = share ?? new PipelineShare();
        var serial = patches * costs.Serial;
        // Progress of the prebuild that serves patch k, in seconds of a build alone; none for the first without a baseline.
        var progress = baseline ? Overlap(costs, costs.Window, s).Progress : 0;
        var pipelined = 0.0;
        for (var k = 0; k < patches; k++)
        {
            var build = costs.BuildWarm + Expected(costs, progress, s.Candidates);
            var last = k == patches - 1;
            var (window, next) = last ? (costs.Window, 0) : Overlap(costs, costs.Window, s);
            pipelined += costs.Apply + build + costs.Install + window;
            progress = next;
        }
        var ideal = Math.Max(costs.Apply + costs.BuildCold, costs.Install + costs.Window);
        return new PipelineResult(patches, serial, pipelined, ideal);
    }

    /// <summary>
    /// The window with a prebuild of <see cref="PipelineShare.Candidates"/> kernels beside it: its wall time, and
    /// how far (in seconds of a build alone) the prebuild got. While both run, the window advances at
    /// 1/WindowSlowdown and the build at 1/PrebuildSlowdown; once the build is done the window runs alone.
    /// </summary>
    public static (double Window, double Progress) Overlap(PhaseCosts costs, double window, PipelineShare s)
    {
        var work = s.Candidates * (costs.Apply + costs.BuildCold);
        var buildDoneAt = work * s.PrebuildSlowdown;
        var windowDoneAt = window * s.WindowSlowdown;
        if (buildDoneAt <= windowDoneAt)
            return (buildDoneAt + (window - buildDoneAt / s.WindowSlowdown), work);
        return (windowDoneAt, windowDoneAt / s.PrebuildSlowdown);
    }

    /// <summary>
    /// The compile seconds the foreground still has for the next patch: candidates are built one after the other
    /// (apply, compile, link), the next patch is each with equal chance.
    /// </summary>
    public static double Expected(PhaseCosts costs, double progress, int candidates)
    {
        var each = costs.Apply + costs.BuildCold;
        var left = 0.0;
        for (var c = 0; c < candidates; c++)
        {
            var own = Math.Clamp(progress - c * each - costs.Apply, 0, costs.Compile);
            left += costs.Compile - own;
        }
        return left / candidates;
    }
}
