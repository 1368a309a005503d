using KernelSoak.Boards.Strategy;
using KernelSoak.Campaigns;
using KernelSoak.Deploy;

namespace KernelSoak.Build.Plans;

/// <summary>
/// How the boot step starts the test kernel, as --dryrun prints it: the commands the boot selection runs, from
/// the members that run them (the installer's extlinux edit, the board-side undo, kexec's load, the reboot).
/// </summary>
public static class BootPlanText
{
    public static IEnumerable<string> Start(BuildContext c, string release)
    {
        var i = c.Campaign.Install;
        var b = c.Board;
        var reboot = b.Ssh(SshRunningSystem.DetachedReboot);
        if (i.AllowModuleReload)
            yield return $"{b.Ssh(KernelInstaller.ReloadCommand("<each changed module>"))}   # instead of all below, when only modules changed and the board runs this build";
        switch (i.BootSelection)
        {
            case BootSelection.Kexec:
                yield return $"{b.Ssh(KernelInstaller.ReadCommand(i.Extlinux))}   # label {i.Label} as installed";
                yield return b.Ssh(KexecRequest.LoadCommand("kexec", $"<kernel of label {i.Label}>", InstallPlan.Layout(c).InitramfsCommand.Length > 0 ? $"<initrd of label {i.Label}>" : null,
                    i.Dtb.Length > 0 ? $"<fdt of label {i.Label}>" : null, $"<append of label {i.Label} with panic={c.Campaign.Boot.PanicRebootS}>"));
                yield return b.Ssh(SshRunningSystem.DetachedKexecExecute);
                yield return $"{reboot}   # first, when the running kernel cannot kexec: U-Boot's default boots one that can";
                break;
            case BootSelection.FlipDefault:
                // In the order they run: read, the board-side undo armed, the flip written, the reboot; after it, the undo disarmed.
                var edit = KernelInstaller.ExtlinuxCommands(i.Extlinux, $"{i.Extlinux}.kernelsoak-<timestamp>", "<sha256 of the edited file>").ToList();
                var undo = new BoardSideUnflip(InstallPlan.Layout(c)).Announced().ToList();
                yield return $"{b.Ssh(edit[0])}   # the default U-Boot boots now";
                foreach (var (command, when) in undo.SkipLast(1)) yield return $"{b.Ssh(command)}   # {when}";
                foreach (var line in edit.Skip(1)) yield return $"{b.Ssh(line)}   # default {i.DefaultLabel} → {i.Label}; the same again, back to {i.DefaultLabel}, once {release} is verified";
                yield return reboot;
                yield return $"{b.Ssh(undo[^1].Command)}   # {undo[^1].When}";
                break;
            default:
                yield return reboot;
                break;
        }
    }
}
