using KernelSoak.Series;

namespace KernelSoak.Tests.Bisect;

/// <summary>Serial against pipelined wall time of a series, from phase costs: the goal is max(build, probe) a patch.</summary>
public class PipelineModelTests
{
    private const double Min = 60;

    /// <summary>The seed plan's proportions: an 80 min build (3 of them make's walk and links), 2 min install, 20 min window.</summary>
    private static readonly PhaseCosts Seed = new(Apply: 5, BuildCold: 80 * Min, BuildWarm: 3 * Min, Install: 2 * Min, Boot: 3 * Min, Stress: 15 * Min, Harvest: 2 * Min);

    [Test]
    public void A_build_longer_than_the_probe_makes_a_patch_cost_about_the_build()
    {
        var r = PipelineModel.Walk(Seed, patches: 4);
        Assert.That(r.SerialPerPatch, Is.EqualTo(5 + 80 * Min + 2 * Min + 20 * Min));
        // Each window compiles 20 min of the next patch's 77: the foreground compiles 57 more, links 3, installs 2, probes 20.
        Assert.That(r.PipelinedPerPatch, Is.EqualTo(5 + 3 * Min + 77 * Min - (20 * Min - 5) + 2 * Min + 20 * Min).Within(1e-6));
        Assert.That(r.Ideal, Is.EqualTo(80 * Min + 5));
        Assert.That(r.OverIdeal, Is.LessThan(1.03), "within the install's 2 min of max(build, probe)");
        Assert.That(r.Saved, Is.GreaterThan(0.19));
    }

    [Test]
    public void A_build_shorter_than_the_probe_is_hidden_behind_it_but_for_the_warm_rebuild()
    {
        var quick = Seed with { BuildCold = 15 * Min };
        var r = PipelineModel.Walk(quick, patches: 5);
        Assert.That(r.PipelinedPerPatch, Is.EqualTo(5 + 3 * Min + 2 * Min + 20 * Min).Within(1e-6), "apply, warm build, install, window");
        Assert.That(r.SerialPerPatch - r.PipelinedPerPatch, Is.EqualTo(12 * Min).Within(1e-6), "the 12 min of compiling are gone");
    }

    [Test]
    public void Without_a_baseline_the_first_patch_is_built_in_the_foreground()
    {
        var with = PipelineModel.Walk(Seed, 3, baseline: true);
        var without = PipelineModel.Walk(Seed, 3, baseline: false);
        Assert.That(without.Pipelined - with.Pipelined, Is.EqualTo(20 * Min - 5).Within(1e-6), "one window's compiling");
        Assert.That(PipelineModel.Walk(Seed, 1, baseline: false).Pipelined, Is.EqualTo(Seed.Serial), "one patch, nothing to overlap");
    }

    [Test]
    public void Sharing_the_cores_with_an_emulated_board_slows_both_and_can_lose()
    {
        var emulated = new PhaseCosts(Apply: 1, BuildCold: 60, BuildWarm: 55, Install: 10, Boot: 40, Stress: 12, Harvest: 5);
        var alone = PipelineModel.Walk(emulated, 4);
        var shared = PipelineModel.Walk(emulated, 4, new PipelineShare(PrebuildSlowdown: 2, WindowSlowdown: 1.5));
        Assert.That(alone.Pipelined, Is.LessThan(alone.Serial), "5 s of compiling hidden a patch");
        Assert.That(shared.Pipelined, Is.GreaterThan(shared.Serial), "a window 1.5× as long costs more than the 5 s it hides");
    }

    [Test]
    public void Two_candidates_a_window_each_get_half_the_chance_of_the_window()
    {
        var quick = Seed with { BuildCold = 9 * Min };
        var (window, progress) = PipelineModel.Overlap(quick, quick.Window, new PipelineShare(Candidates: 2));
        Assert.That(window, Is.EqualTo(quick.Window), "18 min of building fit in the 20 min window");
        Assert.That(PipelineModel.Expected(quick, progress, 2), Is.Zero, "both candidates compiled");
        // An 80 min build: the window compiles 20 min of the first candidate and nothing of the second.
        var (_, seedProgress) = PipelineModel.Overlap(Seed, Seed.Window, new PipelineShare(Candidates: 2));
        Assert.That(PipelineModel.Expected(Seed, seedProgress, 2), Is.EqualTo((77 * Min - (20 * Min - 5) + 77 * Min) / 2).Within(1e-6));
    }

    [Test]
    public void A_slow_window_ends_with_the_build_partly_done()
    {
        var (window, progress) = PipelineModel.Overlap(Seed, Seed.Window, new PipelineShare(PrebuildSlowdown: 2, WindowSlowdown: 1.25));
        Assert.That(window, Is.EqualTo(25 * Min).Within(1e-6));
        Assert.That(progress, Is.EqualTo(12.5 * Min).Within(1e-6), "25 min at half speed");
    }
}
