using Cake.Frosting;
using KernelSoak.Build.Plans;

namespace KernelSoak.Build.Tasks;

[TaskName("CompileKernel")]
[IsDependentOn(typeof(ConfigureKernelTask))]
[TaskDescription("Cross-compiles Image, modules and dtbs out of tree; skips make when nothing changed; writes the artifact manifest")]
public sealed class CompileKernelTask : AsyncFrostingTask<BuildContext>
{
    public override Task RunAsync(BuildContext context) => context.RunBaseChainAsync(() => KernelPlan.Compile(context));
}
