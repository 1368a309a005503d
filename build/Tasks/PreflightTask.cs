using Cake.Frosting;
using KernelSoak.Build.Plans;

namespace KernelSoak.Build.Tasks;

[TaskName("Preflight")]
[IsDependentOn(typeof(BoardUpTask))]
[TaskDescription("Checks the board before anything changes: SSH and host key, arch, /boot/firmware space, extlinux labels, ramoops, tools")]
public sealed class PreflightTask : AsyncFrostingTask<BuildContext>
{
    public override Task RunAsync(BuildContext context) => context.RunStepsAsync(ProbeSteps.For(context).Preflight(context));
}
