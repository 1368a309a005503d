using Cake.Frosting;
using KernelSoak.Build.Plans;
using KernelSoak.Campaigns;

namespace KernelSoak.Build.Tasks;

/// <summary>Bisect&lt;NNNN&gt;, one per patch of the campaign's series, each on top of the one before.</summary>
public sealed class BisectPatchTask(PatchRef patch) : AsyncFrostingTask<BuildContext>
{
    public override Task RunAsync(BuildContext context) => context.RunStepsAsync(BisectPlan.Steps(context, patch));
}

public static class BisectTasks
{
    public static string TaskName(PatchRef patch) => "Bisect" + patch.Id;

    public static IEnumerable<TaskDescriptor> FromCampaign(HostArguments arguments)
    {
        var series = BuildSetup.For(arguments).Campaign.Series;
        var previous = TaskDescriptor.NameOf(typeof(BaselineTask));
        foreach (var patch in series.Patches)
        {
            var name = TaskName(patch);
            yield return new TaskDescriptor(name,
                $"Applies {patch.Id}{(patch.Title.Length > 0 ? $" ({patch.Title})" : "")} on top of the previous patches, rebuilds, installs, reboots, stresses, harvests and records its verdict",
                [previous], [], false, () => new BisectPatchTask(patch));
            previous = name;
        }
        yield return new TaskDescriptor("Bisect",
            $"Walks the whole series ({series.Mode.ToString().ToLowerInvariant()}, {series.Attempts} attempt(s) per probe) and reports the first bad patch",
            [previous], [], false, () => new BisectSummaryTask());
    }
}

public sealed class BisectSummaryTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        context.Output.Info($"series of {context.Campaign.Series.Patches.Count} patches walked; verdicts in {Path.Combine(context.ArtifactsDir, "bisect")}");
}
