using Cake.Frosting;
using KernelSoak.Build.Plans;
using KernelSoak.Campaigns;
using KernelSoak.Kernel;
using KernelSoak.Soak;

namespace KernelSoak.Build.Tasks;

/// <summary>Bisect&lt;NNNN&gt;: probes base + patches up to NNNN; a kernel that does not build is the patch's verdict, not a crash of the run.</summary>
public sealed class BisectPatchTask(PatchRef patch) : AsyncFrostingTask<BuildContext>
{
    public override Task RunAsync(BuildContext context) => ProbeAsync(context, patch);

    public static async Task ProbeAsync(BuildContext context, PatchRef patch)
    {
        var retries = context.Campaign.Series.InfraRetries;
        for (var retry = 0; ; retry++)
        {
            try
            {
                await context.RunStepsAsync(BisectPlan.Steps(context, patch));
                return;
            }
            catch (KernelBuildException e)
            {
                BisectPlan.RecordBuildFailure(context, patch, e);
                throw new UserErrorException($"patch {patch.Id}: verdict build-failed. {e.Message}", e);
            }
            catch (Exception e) when (InfraTrouble.Is(e))
            {
                context.Journal.Note($"bisect/{patch.Id}", Verdicts.InfraError, new Dictionary<string, string> { ["error"] = e.Message });
                if (retry >= retries)
                    throw new UserErrorException($"patch {patch.Id}: infra-error, not a verdict ({e.Message}). " +
                        $"The probe was tried {retry + 1} time(s); fix the setup and re-run the same command: finished steps are kept.", e);
                // The steps that finished are in the journal: the retry resumes at the one that failed.
                context.Output.Warn($"infra-error in the probe of {patch.Id} ({e.Message}): not the patch's fault; retrying the probe ({retry + 1}/{retries})");
                context.DropBoardSession();
            }
        }
    }
}

public static class BisectTasks
{
    public static string TaskName(PatchRef patch) => "Bisect" + patch.Id;

    public static IEnumerable<TaskDescriptor> FromCampaign(HostArguments arguments)
    {
        var series = BuildSetup.For(arguments).Campaign.Series;
        var binary = series.Mode == SearchMode.Binary;
        var baseline = TaskDescriptor.NameOf(typeof(BaselineTask));
        var previous = baseline;
        foreach (var patch in series.Patches)
        {
            var name = TaskName(patch);
            // Sequential: each target walks the patches before it. Binary: one target probes one point of the series.
            yield return new TaskDescriptor(name,
                $"Applies {(binary ? "the series up to " : "")}{patch.Id}{(patch.Title.Length > 0 ? $" ({patch.Title})" : "")}{(binary ? "" : " on top of the previous patches")}, rebuilds, installs, reboots, stresses, harvests and records its verdict",
                [binary ? baseline : previous], [], false, () => new BisectPatchTask(patch));
            previous = name;
        }
        yield return binary
            ? new TaskDescriptor("Bisect", $"Binary search for the first bad patch of {series.Patches.Count} ({SeriesSearch.MaxProbes(series.Patches.Count)} probes at most, {series.Attempts} attempt(s) each)",
                [baseline], [], false, () => new BisectSearchTask())
            : new TaskDescriptor("Bisect", $"Walks the whole series ({series.Attempts} attempt(s) per probe) and reports the first bad patch",
                [previous], [], false, () => new BisectSummaryTask());
    }
}

public sealed class BisectSummaryTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        context.Output.Info($"series of {context.Campaign.Series.Patches.Count} patches walked; verdicts in {Path.Combine(context.ArtifactsDir, "bisect")}");
}

/// <summary>
/// The binary search: probes the point <see cref="SeriesSearch"/> names until it has the first bad patch.
/// Every probe's verdict is on disk before the next is chosen, so a killed search resumes where it was.
/// </summary>
public sealed class BisectSearchTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var patches = context.Campaign.Series.Patches;
        var ids = patches.Select(p => p.Id).ToList();
        var probes = new List<string>();
        while (true)
        {
            var verdicts = patches.Select(p => (p.Id, v: BisectPlan.PatchVerdict(context, p))).Where(x => x.v is not null).ToDictionary(x => x.Id, x => x.v!);
            var state = SeriesSearch.Next(ids, verdicts);
            if (state.Done)
            {
                context.Output.Info($"binary search over {ids.Count} patches: {state.Why}" +
                    (probes.Count > 0 ? $"; probed {string.Join(" → ", probes)} in this run" : "; every probe was already recorded"));
                if (context.DryRun) return;
                if (state.FirstBad is null && !state.Why.Contains("no bad patch", StringComparison.Ordinal))
                    throw new UserErrorException($"the search could not finish: {state.Why}");
                return;
            }
            var patch = patches[state.Next!.Value];
            context.Output.Info($"binary search: {state.Why}");
            probes.Add(patch.Id);
            if (context.DryRun)
            {
                await context.RunStepsAsync(BisectPlan.Steps(context, patch));
                context.Output.Info("(dry run: the next probe depends on this one's verdict)");
                return;
            }
            try
            {
                await BisectPatchTask.ProbeAsync(context, patch);
            }
            catch (UserErrorException) when (BisectPlan.PatchVerdict(context, patch) is { } v && SeriesSearch.IsUntestable(v))
            {
                // recorded as untestable: the search decides what that means
            }
            if (BisectPlan.PatchVerdict(context, patch) is null)
                throw new InvalidOperationException($"probe of {patch.Id} ended without a verdict: re-run to resume it");
        }
    }
}
