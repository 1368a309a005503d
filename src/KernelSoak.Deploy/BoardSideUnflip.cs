using KernelSoak.Processes;
using KernelSoak.Remote;

namespace KernelSoak.Deploy;

/// <summary>
/// flip-default's undo from the board's own side: U-Boot's extlinux has no boot-once, so while the test
/// label is the default, the file as it was (<c>.kernelsoak-unflip</c>) and as the flip left it
/// (<c>.kernelsoak-flipped</c>) sit beside extlinux.conf, and a hook the board runs early in every boot
/// puts the first back — only when the file is still exactly the flipped one, so a stale copy never
/// overwrites a newer file. The hook is a systemd unit ordered before sysinit.target (right after the boot
/// partition is mounted), or an <c>/etc/init.d/S01…</c> script on a busybox-style init. What is left is
/// the window before it runs: a test kernel that panics before userland reboots (panic=N) into the
/// flipped default again.
/// </summary>
public sealed class BoardSideUnflip(InstallLayout layout)
{
    public string Original => layout.ExtlinuxPath + ".kernelsoak-unflip";
    public string Flipped => layout.ExtlinuxPath + ".kernelsoak-flipped";
    public string Script => $"{Root}/etc/kernelsoak/unflip.sh";
    public string Unit => $"{Root}/etc/systemd/system/kernelsoak-unflip.service";
    public string InitScript => $"{Root}/etc/init.d/S01kernelsoak-unflip";

    private string Root => layout.RootDir.TrimEnd('/');

    public string ScriptText()
    {
        var f = CommandLine.Quote(layout.ExtlinuxPath);
        return $"""
            #!/bin/sh
            # KernelSoak (boot_selection = flip-default): extlinux.conf's default back as early in the boot as this runs,
            # only when the file is still exactly as the flip left it. Installed by KernelSoak; harmless when nothing is flipped.
            [ -f {CommandLine.Quote(Original)} ] || exit 0
            if cmp -s {f} {CommandLine.Quote(Flipped)}; then
              cp {CommandLine.Quote(Original)} {f}.kernelsoak-tmp && sync && mv {f}.kernelsoak-tmp {f} && sync &&
                echo "kernelsoak: extlinux default restored by the board at boot ($(uname -r))" > /dev/kmsg
            fi
            rm -f {CommandLine.Quote(Original)} {CommandLine.Quote(Flipped)}; sync

            """;
    }

    public string UnitText() => $"""
        [Unit]
        Description=KernelSoak: put extlinux.conf's default back after a one-boot flip
        DefaultDependencies=no
        RequiresMountsFor={Path.GetDirectoryName(layout.ExtlinuxPath)}
        Before=sysinit.target

        [Service]
        Type=oneshot
        ExecStart=/bin/sh {Script}

        [Install]
        WantedBy=sysinit.target

        """;

    /// <summary>
    /// Before the flip is written: the file as it is (copied on the board, byte for byte), the text the flip
    /// will write, the script and its hook; returns how the board runs it ("systemd", "init.d") or null when it cannot.
    /// </summary>
    public async Task<string?> ArmAsync(SshTarget ssh, string flipped, CancellationToken cancellation = default)
    {
        await ssh.CheckAsync(KeepOriginalCommand, TimeSpan.FromSeconds(30), cancellation);
        await RemoteFiles.WriteTextAsync(ssh, Flipped, flipped, cancellation);
        await ssh.CheckAsync(ScriptDirCommand, TimeSpan.FromSeconds(30), cancellation);
        await RemoteFiles.WriteTextAsync(ssh, Script, ScriptText(), cancellation);
        var init = (await ssh.CheckAsync(InitKindCommand, TimeSpan.FromSeconds(30), cancellation)).Trim();
        switch (init)
        {
            case "systemd":
                await RemoteFiles.WriteTextAsync(ssh, Unit, UnitText(), cancellation);
                await ssh.CheckAsync(WantsLinkCommand, TimeSpan.FromSeconds(30), cancellation);
                return "systemd";
            case "init.d":
                await RemoteFiles.WriteTextAsync(ssh, InitScript, InitScriptText, cancellation);
                await ssh.CheckAsync(InitScriptModeCommand, TimeSpan.FromSeconds(30), cancellation);
                return "init.d";
            default:
                return null;
        }
    }

    /// <summary>After the default is back: no copy is left for a later boot (the hook stays, a no-op).</summary>
    public Task DisarmAsync(SshTarget ssh, CancellationToken cancellation = default) =>
        ssh.CheckAsync(DisarmCommand, TimeSpan.FromSeconds(30), cancellation);

    private string KeepOriginalCommand => $"cp -p {CommandLine.Quote(layout.ExtlinuxPath)} {CommandLine.Quote(Original)} && sync";
    private string ScriptDirCommand => $"mkdir -p {CommandLine.Quote(Path.GetDirectoryName(Script)!)}";
    private string InitKindCommand =>
        $"if [ -d {CommandLine.Quote(Root + "/run/systemd/system")} ]; then echo systemd; elif [ -d {CommandLine.Quote(Root + "/etc/init.d")} ]; then echo init.d; else echo none; fi";
    private string Wants => $"{Root}/etc/systemd/system/sysinit.target.wants";
    private string WantsLinkCommand => $"mkdir -p {CommandLine.Quote(Wants)} && ln -sf {CommandLine.Quote(Unit)} {CommandLine.Quote(Wants + "/kernelsoak-unflip.service")} && sync";
    private string InitScriptText => $"#!/bin/sh\nexec /bin/sh {CommandLine.Quote(Script)}\n";
    private string InitScriptModeCommand => $"chmod 755 {CommandLine.Quote(InitScript)} && sync";
    private string DisarmCommand => $"rm -f {CommandLine.Quote(Original)} {CommandLine.Quote(Flipped)} && sync";

    /// <summary>
    /// What arming and disarming run, as --dryrun prints them (the same members <see cref="ArmAsync"/> and
    /// <see cref="DisarmAsync"/> run), each with when it runs; the flipped file's hash is known only then.
    /// </summary>
    public IEnumerable<(string Command, string When)> Announced() =>
    [
        (KeepOriginalCommand, "the file as it is"), (RemoteFiles.ReceiveCommand(Flipped, "<sha256 of the flipped file>"), "the file as the flip leaves it"),
        (ScriptDirCommand, "the hook"), (RemoteFiles.ReceiveTextCommand(Script, ScriptText()), "the hook"), (InitKindCommand, "how the board starts it"),
        (RemoteFiles.ReceiveTextCommand(Unit, UnitText()), "systemd"), (WantsLinkCommand, "systemd"),
        (RemoteFiles.ReceiveTextCommand(InitScript, InitScriptText), "busybox-style init"), (InitScriptModeCommand, "busybox-style init"),
        (DisarmCommand, "once the default is back"),
    ];
}
