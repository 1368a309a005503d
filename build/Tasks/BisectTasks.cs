using Cake.Frosting;
using KernelSoak.Frosting;
using KernelSoak.Build.Plans;
using KernelSoak.Campaigns;
using KernelSoak.Kernel;
using KernelSoak.Series;
using KernelSoak.Soak;

namespace KernelSoak.Build.Tasks;

/// <summary>Bisect&lt;NNNN&gt;: probes base + patches up to NNNN; a kernel that does not build is the patch's verdict, not a crash of the run.</summary>
public sealed class BisectPatchTask(PatchRef patch) : AsyncFrostingTask<BuildContext>
{
    public override Task RunAsync(BuildContext context) => ProbeAsync(context, patch);

    public static async Task ProbeAsync(BuildContext context, PatchRef patch, ProbeNext? next = null)
    {
        var retries = context.Campaign.Series.InfraRetries;
        for (var retry = 0; ; retry++)
        {
            try
            {
                await context.RunStepsAsync(BisectPlan.Steps(context, patch, next));
                return;
            }
            catch (KernelBuildException e) when (!context.Cancellation.IsCancellationRequested) // make killed by Ctrl+C is no build failure
            {
                BisectPlan.RecordBuildFailure(context, patch, e);
                throw new UserErrorException($"patch {patch.Id}: verdict build-failed. {e.Message}", e);
            }
            catch (Exception e) when (InfraTrouble.Is(e) && !context.Cancellation.IsCancellationRequested)
            {
                context.Journal.Note($"bisect/{patch.Id}", Journal.NoteKind.InfraError, new Dictionary<string, string> { ["error"] = e.Message });
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
            ? new TaskDescriptor("Bisect", $"Binary search for the first bad patch of {series.Patches.Count}: probes sized to the measured rate (miss ≤ {series.MissProbability:0.###}, ≤ {series.MaxProbeS} s a point), the answer with the probability that it is wrong",
                [baseline], [], false, () => new BisectSearchTask())
            : new TaskDescriptor("Bisect", $"Walks the whole series ({series.Attempts} attempt(s) per probe) and reports the first bad patch",
                [previous], [], false, () => new BisectSummaryTask());
    }
}

public sealed class BisectSummaryTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        if (context.DryRun) { context.Output.Info($"    write {Path.Combine(BisectPlan.BisectDir(context), "summary.md")}, results.json, junit.xml: the series answer"); return; }
        context.Output.Info($"series of {context.Campaign.Series.Patches.Count} patches walked: {SeriesResults.Write(context, null).Why}; verdicts in {BisectPlan.BisectDir(context)}");
    }
}

/// <summary>
/// The binary search: probes the point <see cref="AdaptiveSearch"/> names, for as long as it says, until it
/// answers. Every probe is in its point's record before the next is chosen, so a killed search resumes.
/// </summary>
public sealed class BisectSearchTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var patches = context.Campaign.Series.Patches;
        var ids = patches.Select(p => p.Id).ToList();
        var hunt = HuntRule.Parse(context.Campaign.Series.Hunt);
        var policy = BisectPlan.Policy(context);
        var probes = new List<string>();
        while (true)
        {
            var evidence = patches.Select(p => PointRecords.Evidence(BisectPlan.Record(context, p), hunt)).ToList();
            var decision = AdaptiveSearch.Next(ids, evidence, policy);
            if (decision is SeriesAnswer answer)
            {
                context.Output.Info($"binary search over {ids.Count} patches: {answer.Why}" +
                    (probes.Count > 0 ? $"; probed {string.Join(" → ", probes)} in this run" : "; every probe was already recorded"));
                if (context.DryRun) return;
                SeriesResults.Write(context, answer);
                context.Output.Info($"reports: {Path.Combine(BisectPlan.BisectDir(context), "summary.md")}, results.json, junit.xml");
                if (answer.Kind == AnswerKind.NothingTestable) throw new UserErrorException($"the search could not finish: {answer.Why}");
                return;
            }
            var next = (ProbeNext)decision;
            var patch = patches[next.Index];
            context.Output.Info($"binary search: {next.Why}");
            probes.Add(patch.Id);
            if (context.DryRun)
            {
                await context.RunStepsAsync(BisectPlan.Steps(context, patch, next));
                context.Output.Info("(dry run: the next probe depends on this one's verdict)");
                return;
            }
            var before = BisectPlan.Record(context, patch)?.Probes.Count ?? 0;
            try
            {
                await BisectPatchTask.ProbeAsync(context, patch, next);
            }
            catch (UserErrorException) when (BisectPlan.PatchVerdict(context, patch) is Verdicts.ApplyFailed or Verdicts.BuildFailed)
            {
                // recorded as untestable: the search skips it, as git bisect skip does
            }
            if (BisectPlan.Record(context, patch) is not { } after || after.Verdict is not (Verdicts.ApplyFailed or Verdicts.BuildFailed) && after.Probes.Count <= before)
                throw new InvalidOperationException($"probe of {patch.Id} ended without adding to its record: re-run to resume it");
        }
    }
}
