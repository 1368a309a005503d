using Cake.Frosting;
using KernelSoak.Frosting;
using KernelSoak.Build.Plans;
using KernelSoak.Campaigns;
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
        var (outcome, action) = ExitRules.Apply(context.Campaign, verdict.Verdict);
        var alpha = context.Campaign.Series.MissProbability;
        var clean = verdict.Verdict == Verdicts.Clean;
        var confidence = clean ? Series.PoissonBounds.Describe(verdict.StressSeconds, alpha) : null;
        var record = new ProbeRecord("soak", 1, verdict.Verdict, verdict.Reports, verdict.PreExisting, dir, verdict.Seconds, verdict.Note)
            { Confidence = confidence, RulesOutIntervalS = clean ? Math.Round(Series.PoissonBounds.IntervalLowerBound(verdict.StressSeconds, alpha), 1) : null };
        var run = new RunFacts(PlanText.Release(context), RunFacts.ConfigHash(Path.Combine(context.Kernel.BuildDir, ".config")),
            ProbeSteps.For(context).Where(context), verdict.Stress,
            verdict.StressSeconds, System.Diagnostics.Process.GetCurrentProcess().StartTime, DateTimeOffset.Now, StressPlan.ProbeDir(context, "soak"));
        ResultsWriter.Write(dir, context.Campaign.Id, [record], previous, outcome, action, run);
        context.Output.Info($"soak: {verdict.Verdict}{(confidence is null ? "" : $" — {confidence}")}{(verdict.Reports.Count > 0 ? $" ({string.Join("; ", verdict.Reports.Select(r => r.Title + (previous.Contains(r.Title) ? "" : " [NEW]")))})" : "")}");
        context.Output.Info($"{outcome}: {action}");
        context.Output.Info($"reports: {Path.Combine(dir, "summary.md")}, results.json, junit.xml");
        if (verdict.Verdict != Verdicts.Clean)
            throw new UserErrorException($"the soak is not clean: {verdict.Verdict}{(verdict.Reports.Count > 0 ? ": " + verdict.Reports[0].Title : "")}");
    }
}

/// <summary>The campaign's exit rules (the plan's Success / Partial / Failure) applied to a verdict.</summary>
public static class ExitRules
{
    public static (string Outcome, string Action) Apply(Campaign campaign, string verdict)
    {
        var trigger = verdict switch
        {
            Verdicts.Report => ExitTrigger.Report,
            Verdicts.Wedge => ExitTrigger.Wedge,
            Verdicts.NoBoot => ExitTrigger.NoBoot,
            _ => ExitTrigger.Clean,
        };
        var rule = campaign.ExitRule.FirstOrDefault(r => r.When == trigger);
        return rule is null ? (verdict == Verdicts.Clean ? "clean" : verdict, "no exit rule for this verdict in the campaign")
            : (rule.Outcome.ToString(), rule.Action);
    }
}
