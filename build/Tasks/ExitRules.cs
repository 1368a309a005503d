using KernelSoak.Campaigns;
using KernelSoak.Soak;

namespace KernelSoak.Build.Tasks;

/// <summary>
/// Kept only for BisectPlan and SeriesResults (being rewired in parallel), which still pass verdict words:
/// the rules themselves are <see cref="Soak.ExitRules"/>. Delete once they call it directly.
/// </summary>
public static class ExitRules
{
    public static (string Outcome, string Action) Apply(Campaign campaign, string verdict) =>
        Soak.ExitRules.Apply(campaign.ExitRule, VerdictWords.Parse(verdict));
}
