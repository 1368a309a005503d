using Cake.Frosting;
using KernelSoak.Build.Plans;

namespace KernelSoak.Build.Tasks;

[TaskName("Harvest")]
[IsDependentOn(typeof(StressTask))]
[TaskDescription("Collects pstore, kernel logs, cmdline, iomem, running config and stress logs into artifacts/, then classifies the reports")]
public sealed class HarvestTask : AsyncFrostingTask<BuildContext>
{
    public override Task RunAsync(BuildContext context) => context.RunStepsAsync(HarvestPlan.Steps(context, "soak/harvest"));
}
