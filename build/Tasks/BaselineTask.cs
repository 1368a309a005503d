using Cake.Frosting;
using KernelSoak.Build.Plans;

namespace KernelSoak.Build.Tasks;

[TaskName("Baseline")]
[IsDependentOn(typeof(InstallKernelTask))]
[TaskDescription("Probes the unpatched kernel the same way as each patch; its reports are pre-existing, never a patch's fault")]
public sealed class BaselineTask : AsyncFrostingTask<BuildContext>
{
    public override bool ShouldRun(BuildContext context) => context.Campaign.Series.Baseline;

    public override Task RunAsync(BuildContext context) => context.RunStepsAsync(BisectPlan.BaselineSteps(context));
}
