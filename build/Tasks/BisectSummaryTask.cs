using Cake.Frosting;
using KernelSoak.Build.Plans;

namespace KernelSoak.Build.Tasks;

/// <summary>Bisect in a sequential walk: every patch's task has run; the series' answer from their records.</summary>
public sealed class BisectSummaryTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        if (context.DryRun) { context.Output.Info($"    write {Path.Combine(BisectPlan.BisectDir(context), "summary.md")}, results.json, junit.xml: the series answer"); return; }
        context.Output.Info($"series of {context.Campaign.Series.Patches.Count} patches walked: {SeriesResults.Write(context, null).Why}; verdicts in {BisectPlan.BisectDir(context)}");
    }
}
