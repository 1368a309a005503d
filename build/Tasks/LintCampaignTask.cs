using Cake.Frosting;
using KernelSoak.Build.Plans;
using KernelSoak.Kernel;
using KernelSoak.Steps;

namespace KernelSoak.Build.Tasks;

[TaskName("LintCampaign")]
[TaskDescription("Checks the campaign's config delta against the kernel tree's Kconfig without building: dropped, conflicting and mistyped options")]
public sealed class LintCampaignTask : AsyncFrostingTask<BuildContext>
{
    public override Task RunAsync(BuildContext context) => context.RunStepsAsync([
        Step.Pending("lint/delta", $"check {context.Campaign.Config.Count} options against {context.Kernel.SourceDir}/**/Kconfig", KernelPlan.ConfigureCapability,
            ConfigDelta.ScriptsConfig(context.Campaign, context.Kernel).ToString(), context.Make.Olddefconfig().ToString()),
    ]);
}
