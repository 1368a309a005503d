using KernelSoak.Campaigns;
using KernelSoak.Probes;
using KernelSoak.Series;
using KernelSoak.Soak;
using KernelSoak.Steps;

namespace KernelSoak.Build.Plans;

/// <summary>
/// series.pipeline: the step, after a probe's install, that starts building the next kernel(s) in the background
/// (<see cref="Prebuilder"/>): the next patch of a walk, both possible next midpoints of a search
/// (<see cref="PrebuildChoice"/>). The probe goes on at once and never waits for it.
/// </summary>
public static class PrebuildPlan
{
    /// <summary>The prebuild step of the probe of point <paramref name="probing"/> (−1: the baseline); none when the campaign does not pipeline or nothing is ahead.</summary>
    public static IEnumerable<Step> After(BuildContext c, int probing, ProbeNext? next = null)
    {
        var series = c.Campaign.Series;
        if (!series.Pipeline || !c.Kernel.IsWorktree) yield break;
        var chosen = Choose(c, probing, next).Select(i => series.Patches[i]).ToList();
        if (chosen.Count == 0) yield break;
        var prefix = probing < 0 ? ProbeLifecycle.BaselineProbe : $"bisect/{series.Patches[probing].Id}";
        var ids = string.Join(", ", chosen.Select(p => p.Id));
        var tree = Prebuilder.Tree(c);
        yield return new Step($"{prefix}/prebuild",
            $"build {ids} ahead in {tree.SourceDir} while this probe runs (niced, in the background: a ccache warm-up, never a verdict)", "",
            [.. chosen.SelectMany(p => Announce(c, tree, p))],
            ct =>
            {
                c.Prebuild.Start(c, chosen);
                c.Output.Info($"prebuilding {ids} in the background (log {Path.GetDirectoryName(Prebuilder.LogPath(c, chosen[0]))}/prebuild-*.log)");
                return Task.FromResult(StepResult.Ok(new Dictionary<string, string> { ["patches"] = ids }));
            }) { AlwaysRun = true };
    }

    /// <summary>What building <paramref name="patch"/> ahead runs, from the functions that run it (Prebuilder.BuildOneAsync).</summary>
    private static IEnumerable<string> Announce(BuildContext c, Kernel.KernelTree tree, PatchRef patch)
    {
        var series = new Kernel.PatchSeries(tree, c.Commands);
        var patches = c.Campaign.Series.Patches;
        var dir = c.CampaignPath(c.Campaign.Series.Dir);
        var below = $"<nearest commit the campaign applied below {patch.Id}, else the base>";
        foreach (var line in series.AnnounceWorktree(below, $"then each patch above it up to {patch.Id}")) yield return line;
        foreach (var p in patches.Take(patches.IndexOf(patch) + 1))
            foreach (var line in series.AnnounceApply(BisectPlan.PatchFile(dir, p), p.Id, below)) yield return line;
        yield return $"{Prebuilder.BuildCommand(c)}   # in the background, its output to {Prebuilder.LogPath(c, patch)}";
    }

    /// <summary>How many patches this run walks: up to its Bisect&lt;NNNN&gt; target, else the whole series.</summary>
    public static int WalkEnd(BuildContext c)
    {
        var patches = c.Campaign.Series.Patches;
        var target = patches.FindIndex(p => string.Equals(Tasks.BisectTasks.TaskName(p), c.HostArguments.Target, StringComparison.OrdinalIgnoreCase));
        return target < 0 ? patches.Count : target + 1;
    }

    /// <summary>
    /// The points to build ahead: a walk's next patch without a verdict; in a search, the point it probes first
    /// (while the baseline is probed) or both it may probe after <paramref name="next"/>.
    /// </summary>
    public static IReadOnlyList<int> Choose(BuildContext c, int probing, ProbeNext? next)
    {
        var series = c.Campaign.Series;
        var patches = series.Patches;
        if (series.Mode == SearchMode.Sequential)
            return PrebuildChoice.Sequential(WalkEnd(c), probing, i => BisectPlan.Record(c, patches[i]) is not null);
        if (next is null && probing >= 0) return []; // one Bisect<NNNN> target of a search: what comes next is not its to know
        var hunt = HuntRule.Parse(series.Hunt);
        var evidence = patches.Select(p => PointRecords.Evidence(BisectPlan.Record(c, p), hunt)).ToList();
        return PrebuildChoice.Binary([.. patches.Select(p => p.Id)], evidence, BisectPlan.Policy(c), next);
    }
}
