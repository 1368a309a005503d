using Cake.Frosting;
using KernelSoak.Build.Plans;

namespace KernelSoak.Build.Tasks;

[TaskName("CompileKernel")]
[IsDependentOn(typeof(ConfigureKernelTask))]
[TaskDescription("Cross-compiles Image, modules and dtbs out of tree; skips make when nothing changed; writes the artifact manifest")]
public sealed class CompileKernelTask : AsyncFrostingTask<BuildContext>
{
    public override Task RunAsync(BuildContext context)
    {
        if (context.BaseChainIdle)
        {
            context.Output.Info("the campaign's tree holds patches: nothing for the base chain to do; each Bisect probe builds and installs its own kernel");
            return Task.CompletedTask;
        }
        return context.RunStepsAsync(KernelPlan.Compile(context));
    }
}
