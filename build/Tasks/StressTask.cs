using Cake.Frosting;
using KernelSoak.Build.Plans;

namespace KernelSoak.Build.Tasks;

[TaskName("Stress")]
[IsDependentOn(typeof(InstallKernelTask))]
[TaskDescription("Boots the installed test kernel and runs the campaign's stress profiles while the monitor watches for reports and wedges")]
public sealed class StressTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        await context.RunStepsAsync(BootPlan.Steps(context, "soak/boot"));
        await context.RunStepsAsync(StressPlan.Steps(context, "soak/stress"));
    }
}
