using Cake.Frosting;
using KernelSoak.Build.Plans;

namespace KernelSoak.Build.Tasks;

[TaskName("InstallKernel")]
[IsDependentOn(typeof(CompileKernelTask))]
[TaskDescription("Deploys modules, Image, DTB and initramfs over SSH (changed files only) and adds the extlinux label; the default stays")]
public sealed class InstallKernelTask : AsyncFrostingTask<BuildContext>
{
    public override Task RunAsync(BuildContext context) => context.RunBaseChainAsync(() => ProbeSteps.For(context).Install(context));
}
