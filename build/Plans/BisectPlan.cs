using KernelSoak.Campaigns;
using KernelSoak.Steps;

namespace KernelSoak.Build.Plans;

/// <summary>One probe of the series: apply the patch on top of the previous ones, rebuild, install, boot, stress, harvest, verdict.</summary>
public static class BisectPlan
{
    public const string Capability = "patch series walk (issue: reboot-aware resumption and bisect)";

    public static IEnumerable<Step> Steps(BuildContext c, PatchRef patch)
    {
        var prefix = $"bisect/{patch.Id}";
        var file = Path.Combine(c.Campaign.Series.Dir, patch.File.Length > 0 ? patch.File : patch.Id + "-*.patch");
        yield return Step.Pending($"{prefix}/apply", $"apply {patch.Id} on work branch kernelsoak/{c.Campaign.Id}", Capability,
            $"git -C {c.Kernel.SourceDir} am --3way {file}   # plain diffs: git apply --index, then commit");
        foreach (var step in KernelPlan.Compile(c, prefix)) yield return step;
        foreach (var step in InstallPlan.Steps(c, $"{prefix}/install")) yield return step;
        for (var attempt = 1; attempt <= c.Campaign.Series.Attempts; attempt++)
        {
            var probe = c.Campaign.Series.Attempts == 1 ? prefix : $"{prefix}/attempt-{attempt}";
            foreach (var step in BootPlan.Steps(c, probe)) yield return step;
            foreach (var step in StressPlan.Steps(c, probe, Baseline(c))) yield return step;
            foreach (var step in HarvestPlan.Steps(c, probe)) yield return step;
        }
        yield return Step.Pending($"{prefix}/verdict", $"verdict for {patch.Id}: report / wedge / clean / no-boot / build-failed / apply-failed; exit rules: {string.Join("; ", c.Campaign.ExitRule.Select(r => $"{r.When}→{r.Outcome}"))}", Capability,
            $"write {Path.Combine(c.ArtifactsDir, "bisect", patch.Id, "verdict.json")}");
    }

    /// <summary>The unpatched kernel's report titles: pre-existing, never a patch's fault.</summary>
    public static IReadOnlySet<string> Baseline(BuildContext c) =>
        HarvestPlan.Verdict(c, "baseline")?.Reports.Select(r => r.Title).ToHashSet() ?? new HashSet<string>();

    public static IEnumerable<Step> BaselineSteps(BuildContext c)
    {
        foreach (var step in BootPlan.Steps(c, "baseline")) yield return step;
        foreach (var step in StressPlan.Steps(c, "baseline")) yield return step;
        foreach (var step in HarvestPlan.Steps(c, "baseline")) yield return step;
    }
}
