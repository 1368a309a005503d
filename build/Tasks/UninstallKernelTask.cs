using Cake.Frosting;
using KernelSoak.Build.Plans;
using KernelSoak.Deploy;

namespace KernelSoak.Build.Tasks;

/// <summary>The way back: one release's files and label off the board, the default label kept (or restored).</summary>
[TaskName("UninstallKernel")]
[IsDependentOn(typeof(PreflightTask))]
[TaskDescription("Removes a release's Image, DTB, initramfs, /lib/modules dir and extlinux label from the board (--release=, default: this campaign's build); the file is backed up first")]
public sealed class UninstallKernelTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var release = context.Argument("release") ?? PlanText.Release(context);
        if (release == PlanText.ReleasePlaceholder)
            throw new UserErrorException("which release? Pass --release=<uname -r of the kernel to remove>; this campaign has not built one yet");
        if (context.DryRun)
        {
            context.Output.Info($"would remove label {context.Campaign.Install.Label} and {string.Join(", ", InstallPlan.Layout(context).ReleasePaths(release))}");
            return;
        }
        var installer = new KernelInstaller(await context.BoardAsync(), InstallPlan.Layout(context), context.Output.Info);
        await installer.UninstallAsync(release);
        context.Journal.Note("uninstall", $"removed {release}");
    }

}
