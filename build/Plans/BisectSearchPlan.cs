using KernelSoak.Build.Tasks;
using KernelSoak.Campaigns;
using KernelSoak.Frosting;
using KernelSoak.Series;
using KernelSoak.Soak;

namespace KernelSoak.Build.Plans;

/// <summary>The binary search's two ends: one probe on one board, and the answer.</summary>
public static class BisectSearchPlan
{
    /// <summary>One probe, added to its point's record before the next is chosen; false in a dry run (the next probe depends on this one's verdict).</summary>
    public static async Task<bool> ProbeOneAsync(BuildContext context, PatchRef patch, ProbeNext next)
    {
        if (context.DryRun)
        {
            await context.RunStepsAsync(BisectPlan.Steps(context, patch, next));
            context.Output.Info("(dry run: the next probe depends on this one's verdict)");
            return false;
        }
        var before = BisectPlan.Record(context, patch)?.Probes.Count ?? 0;
        try
        {
            await BisectPatchTask.ProbeAsync(context, patch, next);
        }
        catch (UserErrorException) when (BisectPlan.Record(context, patch)?.Untestable == true)
        {
            // recorded as untestable: the search skips it, as git bisect skip does
        }
        if (!PointRecord.Advanced(BisectPlan.Record(context, patch), before))
            throw new InvalidOperationException($"probe of {patch.Id} ended without adding to its record: re-run to resume it");
        return true;
    }

    public static void Answer(BuildContext context, SeriesAnswer answer, IReadOnlyList<string> probes)
    {
        context.Output.Info($"binary search over {context.Campaign.Series.Patches.Count} patches: {answer.Why}" +
            (probes.Count > 0 ? $"; probed {string.Join(" → ", probes)} in this run" : "; every probe was already recorded"));
        if (context.DryRun) return;
        SeriesResults.Write(context, answer);
        context.Output.Info($"reports: {Path.Combine(BisectPlan.BisectDir(context), "summary.md")}, results.json, junit.xml");
        if (answer.Kind == AnswerKind.NothingTestable) throw new UserErrorException($"the search could not finish: {answer.Why}");
    }
}
