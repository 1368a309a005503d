using KernelSoak.Campaigns;

namespace KernelSoak.Soak;

/// <summary>The campaign's exit rules (the plan's Success / Partial / Failure) applied to a verdict.</summary>
public static class ExitRules
{
    /// <summary>The rule's outcome and action, or the verdict itself and a note when the campaign has no rule for it.</summary>
    public static (string Outcome, string Action) Apply(IReadOnlyList<ExitRule> rules, Verdict verdict)
    {
        // The plan's rules know reports, wedges and no-boots; a probe that tested nothing falls under its clean rule, as it always did.
        var trigger = verdict switch
        {
            Verdict.Report => ExitTrigger.Report,
            Verdict.Wedge => ExitTrigger.Wedge,
            Verdict.NoBoot => ExitTrigger.NoBoot,
            _ => ExitTrigger.Clean,
        };
        var rule = rules.FirstOrDefault(r => r.When == trigger);
        return rule is null ? (VerdictWords.Of(verdict), "no exit rule for this verdict in the campaign") : (rule.Outcome.ToString(), rule.Action);
    }
}
