using Cake.Frosting;
using KernelSoak.Build.Plans;

namespace KernelSoak.Build.Tasks;

[TaskName("ConfigureKernel")]
[IsDependentOn(typeof(PreflightTask))]
[TaskDescription("Applies the campaign's config delta with the right types, runs olddefconfig, verifies every option, computes the release")]
public sealed class ConfigureKernelTask : AsyncFrostingTask<BuildContext>
{
    public override Task RunAsync(BuildContext context) => context.RunStepsAsync(KernelPlan.Configure(context));
}
