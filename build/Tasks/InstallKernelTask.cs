using Cake.Frosting;
using KernelSoak.Build.Plans;

namespace KernelSoak.Build.Tasks;

[TaskName("InstallKernel")]
[IsDependentOn(typeof(CompileKernelTask))]
[TaskDescription("Deploys modules, Image, DTB and initramfs over SSH (changed files only) and adds the extlinux label; the default stays")]
public sealed class InstallKernelTask : AsyncFrostingTask<BuildContext>
{
    public override Task RunAsync(BuildContext context)
    {
        if (context.BaseChainIdle)
        {
            context.Output.Info("the campaign's tree holds patches: nothing for the base chain to do; each Bisect probe builds and installs its own kernel");
            return Task.CompletedTask;
        }
        return context.RunStepsAsync(InstallPlan.Steps(context));
    }
}
