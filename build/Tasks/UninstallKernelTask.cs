using Cake.Frosting;
using KernelSoak.Frosting;
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
        var given = context.Argument("release");
        var release = given ?? PlanText.Release(context);
        if (release == PlanText.ReleasePlaceholder)
            throw new UserErrorException("which release? Pass --release=<uname -r of the kernel to remove>; this campaign has not built one yet");
        try
        {
            KernelRelease.Check(release, given is null ? "the campaign's built release (journal kernel/release)" : "--release");
        }
        catch (InvalidReleaseException e)
        {
            throw new UserErrorException(e.Message);
        }
        var layout = InstallPlan.Layout(context);
        if (context.DryRun)
        {
            context.Output.Info($"would remove label {layout.Label} if it boots {layout.BootRelative(layout.ImagePath(release))}, and {string.Join(", ", layout.ReleasePaths(release))}");
            return;
        }
        var installer = new KernelInstaller(await context.BoardAsync(), InstallPlan.Layout(context), context.Output.Info);
        await installer.UninstallAsync(release);
        context.Journal.Note("uninstall", $"removed {release}");
    }

}
