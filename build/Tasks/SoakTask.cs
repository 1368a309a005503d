using Cake.Frosting;
using KernelSoak.Frosting;
using KernelSoak.Build.Plans;
using KernelSoak.Soak;

namespace KernelSoak.Build.Tasks;

[TaskName("Soak")]
[IsDependentOn(typeof(HarvestTask))]
[TaskDescription("Nightly CI: build, install, boot, stress, harvest, then summary.md, results.json and junit.xml; exit 0 only when clean")]
public sealed class SoakTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        if (context.DryRun) { context.Output.Info($"    write {Path.Combine(context.ArtifactsDir, "soak", "summary.md")}, results.json, junit.xml"); return; }
        var verdict = HarvestPlan.Verdict(context, "soak") ?? throw new InvalidOperationException("no verdict was recorded for the soak");
        var dir = Path.Combine(context.ArtifactsDir, "soak");
        var previous = ResultsWriter.PreviousTitles(Path.Combine(dir, "results.json"));
        var (outcome, action) = Soak.ExitRules.Apply(context.Campaign.ExitRule, verdict.Kind);
        var record = SoakVerdict.Record(verdict, dir, context.Campaign.Series.MissProbability);
        var run = new RunFacts(PlanText.Release(context), RunFacts.ConfigHash(Path.Combine(context.Kernel.BuildDir, ".config")),
            ProbeSteps.For(context).Where(context), verdict.Stress,
            verdict.StressSeconds, System.Diagnostics.Process.GetCurrentProcess().StartTime, DateTimeOffset.Now, StressPlan.ProbeDir(context, "soak"));
        ResultsWriter.Write(dir, context.Campaign.Id, [record], previous, outcome, action, run);
        context.Output.Info(SoakVerdict.Line(record, previous));
        context.Output.Info($"{outcome}: {action}");
        context.Output.Info($"reports: {Path.Combine(dir, "summary.md")}, results.json, junit.xml");
        if (SoakVerdict.Failure(verdict) is { } failure) throw new UserErrorException(failure);
    }
}
