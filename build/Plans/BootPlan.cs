using KernelSoak.Boards;
using KernelSoak.Boards.Consoles;
using KernelSoak.Boards.Strategy;
using KernelSoak.Boot;
using KernelSoak.Campaigns;
using KernelSoak.Journal;
using KernelSoak.Kernel;
using KernelSoak.Remote;
using KernelSoak.Settings;
using KernelSoak.Soak;
using KernelSoak.Steps;
using KernelSoak.Frosting;

namespace KernelSoak.Build.Plans;

/// <summary>
/// Reboot into the test kernel and prove it is the one running: the reboot is a step boundary (a host
/// killed after issuing it resumes at the wait), a board already running this build is not rebooted,
/// and a kernel that came up on another label is never taken for the test kernel.
/// </summary>
public static class BootPlan
{
    public static IEnumerable<Step> Steps(BuildContext c, string prefix)
    {
        var i = c.Campaign.Install;
        var manifest = File.Exists(c.ManifestPath) ? BuildManifest.Load(c.ManifestPath) : null;
        var release = manifest?.Release ?? PlanText.Release(c);
        var select = i.BootSelection switch
        {
            BootSelection.SerialMenu => $"choose label {i.Label} at U-Boot's menu over the serial console (default stays {i.DefaultLabel})",
            BootSelection.FlipDefault => $"flip default to {i.Label} for one boot: the board's own boot hook puts {i.DefaultLabel} back as soon as it mounts {i.BootDir}, " +
                $"and this run does once the kernel is verified (a test kernel that panics before that hook reboots into {i.Label} again: the console or a power cycle end that)",
            BootSelection.Kexec => $"start label {i.Label}'s kernel from the running {i.DefaultLabel} kernel with kexec, panic={c.Campaign.Boot.PanicRebootS} on its command line " +
                $"(extlinux.conf is never edited: a test kernel that dies reboots through U-Boot into its default, {i.DefaultLabel})",
            _ => $"the person at the board picks {i.Label} at the U-Boot menu",
        };
        var start = BootPlanText.Start(c, release);
        var step = $"{prefix}/boot";
        yield return new Step(step, $"reboot into {release}: {select}; verify uname -r, boot id and running config",
            Fingerprint.Of(release, manifest?.Image.Sha256 ?? ""),
            [c.Board.Ssh(SshTarget.IdentityCommand) + "   # the boot it leaves", .. start, c.Board.Ssh(SshTarget.IdentityCommand) + "   # the boot it comes to",
             c.Board.Ssh(BootCheck.Command(c.Campaign.Boot.Smoke))],
            ct => BootOrNoBootAsync(c, prefix, step, release, manifest?.Image.Sha256 ?? "", ct));
    }

    /// <summary>A kernel that does not come up is the probe's verdict (no-boot), once the board is back on a kernel that does.</summary>
    private static async Task<StepResult> BootOrNoBootAsync(BuildContext c, string prefix, string step, string release, string imageSha, CancellationToken ct)
    {
        try
        {
            return await BootAsync(c, prefix, step, release, imageSha, ct);
        }
        catch (NoBootException e)
        {
            // A kernel that came up but is not the build (VerifyAsync): the board answers, on the wrong kernel.
            c.Output.Warn($"NO-BOOT: {e.Message}");
            await DefaultFlip.RestoreAsync(c, "the test kernel did not boot", ct);
            return await NoBootVerdictAsync(c, prefix, release, e.Message, ct);
        }
    }

    private static async Task<StepResult> NoBootVerdictAsync(BuildContext c, string prefix, string release, string why, CancellationToken ct)
    {
        await new ProbeFiles(StressPlan.ProbeDir(c, prefix)).WriteWindowAsync(ProbeOutcome.NoBoot(why), ct);
        return StepResult.Ok(BootRecords.NoBoot(release));
    }

    private static async Task<StepResult> BootAsync(BuildContext c, string prefix, string step, string release, string imageSha, CancellationToken ct)
    {
        var ssh = await c.BoardAsync();
        var (running, bootId) = await ssh.IdentityAsync(ct);
        var records = new BootRecords(c.Journal);
        switch (BootPolicy.Start(new(release, imageSha, running, bootId), records.LastReboot(step), records.VerifiedImage(bootId), c.Campaign.Install.AllowModuleReload))
        {
            case BootStart.AlreadyBooted:
                c.Output.Info($"the board already runs {release}, booted after this step's reboot: no second reboot");
                return await VerifyAndRestoreAsync(c, ssh, release, bootId, imageSha, ct);
            case BootStart.ReloadModules:
                var changed = records.ChangedModules();
                var installer = new Deploy.KernelInstaller(ssh, InstallPlan.Layout(c), c.Output.Info);
                if (await installer.ReloadModulesAsync(release, changed, ct))
                    return StepResult.Ok(BootRecords.WithReloaded((await VerifyAsync(c, ssh, release, bootId, imageSha, ct)).Outputs, changed));
                break; // modules that would not reload: boot the build instead
        }
        var install = c.Campaign.Install;
        if (install.BootSelection == BootSelection.FlipDefault) await DefaultFlip.FlipAsync(c, step, ct);
        var console = await c.ConsoleAsync(ct);
        var (strategy, system) = BootStrategyFor(c, console);
        var timeout = TimeSpan.FromSeconds(c.Campaign.Boot.TimeoutS);
        var request = new BootRequest(release, install.Label, install.DefaultLabel, BootPolicy.LabelSelectionOf(install.BootSelection),
            DefaultIsTestLabel: DefaultFlip.Pending(c) is not null, bootId, timeout, c.Campaign.Boot.PowerCycles)
        {
            PanicReboots = KernelCommandLine.PanicReboots(string.Join(' ', install.AppendExtra)),
            MenuTimeout = timeout,
            Kexec = install.BootSelection == BootSelection.Kexec ? await KexecRequestAsync(c, ssh, ct) : null,
        };
        records.NoteReboot(step, bootId, imageSha);
        var offset = console?.Length ?? 0;
        c.Output.Info($"reboot issued (boot id was {bootId})");
        BootOutcome outcome;
        try
        {
            outcome = await strategy.BootAsync(request, ct);
        }
        finally
        {
            if (system.Answered is { } up) c.AdoptBoardSession(up); // the run's session from here on: no second handshake
            if (console is not null) KeepConsole(c, prefix, console, offset);
        }
        var end = BootPolicy.End(outcome, install.BootSelection);
        switch (end)
        {
            case BootEnd.Verify:
                return await VerifyAndRestoreAsync(c, await c.BoardAsync(), release, outcome.System!.BootId, imageSha, ct);
            case BootEnd.AskPersonThenNoBoot or BootEnd.NoBoot:
                if (end == BootEnd.AskPersonThenNoBoot) await AskWhyAsync(c, outcome.System!.Release, release, ct);
                c.Output.Warn($"NO-BOOT: {outcome.Detail}{(console is null ? "" : $" (console: {outcome.ConsoleTail})")}");
                c.Output.Info($"the board is back on {outcome.System!.Release} ({(outcome.System.Release == release ? "the test kernel, rejected above" : $"label {install.DefaultLabel}")})");
                await DefaultFlip.RestoreAsync(c, "the test kernel did not boot", ct);
                return await NoBootVerdictAsync(c, prefix, release, outcome.Detail, ct);
            default:
                throw new UserErrorException(outcome.Detail + (console is null ? "" : $". Console: {Path.Combine(StressPlan.ProbeDir(c, prefix), "console.log")}"));
        }
    }

    /// <summary>The test label exactly as the installer wrote it on the board (its files, its append) with the campaign's panic reboot.</summary>
    private static async Task<KexecRequest> KexecRequestAsync(BuildContext c, SshTarget ssh, CancellationToken ct)
    {
        var layout = InstallPlan.Layout(c);
        var label = await new Deploy.KernelInstaller(ssh, layout, c.Output.Info).LabelAsync(c.Campaign.Install.Label, ct);
        var request = KexecRequest.ForLabel(label, layout.BootDir, c.Campaign.Boot.PanicRebootS);
        c.Output.Info($"kexec: {request.LoadCommand()}");
        return request;
    }

    /// <summary>The boot strategy of this board: SSH to the running kernel, the [Power] switch, the [Console]; each move said as it happens.</summary>
    private static (BootStrategy Strategy, SshRunningSystem System) BootStrategyFor(BuildContext c, IConsole? console)
    {
        var system = new SshRunningSystem(c.BoardEndpoint, _ => c.BoardAsync(), c.DropBoardSession);
        var strategy = new BootStrategy(system, PowerCycle.ForBoot(c), console, c.Output.Info);
        strategy.Moved += t =>
        {
            c.Output.Info($"boot: {t.To} at {t.At.TotalSeconds:0.0} s: {t.Why}");
            if (t.To == BootState.PowerCycling) c.Output.Info($"power-cycling the board ([Power] Switch = {c.Settings.Power.Switch.ToString().ToLowerInvariant()})");
        };
        strategy.ReportSeen += r => c.Output.Warn($"console during boot: {r.Title}");
        return (strategy, system);
    }

    /// <summary>The console bytes of this boot, from the reboot on, kept with the probe as they came (console.log).</summary>
    private static void KeepConsole(BuildContext c, string prefix, IConsole console, long offset)
    {
        var dir = StressPlan.ProbeDir(c, prefix);
        Directory.CreateDirectory(dir);
        using var from = new FileStream(console.CapturePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (offset > from.Length) offset = 0; // the capture restarted (a power-on truncates the emulated board's log)
        from.Seek(offset, SeekOrigin.Begin);
        using var to = File.Create(Path.Combine(dir, "console.log"));
        from.CopyTo(to);
    }

    /// <summary>Manual selection: only the person at the board knows whether the kernel died or its label was missed; a miss is no verdict.</summary>
    private static async Task AskWhyAsync(BuildContext c, string running, string release, CancellationToken ct)
    {
        var question = new ManualBootQuestion(c.Output.Warn, Path.Combine(c.ArtifactsDir, "confirm"), TimeSpan.FromMinutes(c.Settings.Power.ConfirmMinutes));
        switch (await question.AskAsync(running, release, c.Campaign.Install.Label, ct))
        {
            case ManualBootAnswer.LabelMissed:
                throw new UserErrorException($"the label {c.Campaign.Install.Label} was not chosen at the U-Boot menu: no verdict. Re-run the same command: the board reboots and you choose it again");
            case ManualBootAnswer.Unanswered:
                throw new UserErrorException($"the board came up on {running}, not {release}, and nobody said why: no verdict. Re-run the same command to boot it again");
        }
    }

    /// <summary>After a reset of the board while a flip is pending: boot the label the flip replaced, not the test kernel.</summary>
    public static async Task PickPreviousDefaultAsync(BuildContext c, long offset)
    {
        if (DefaultFlip.Pending(c) is not { } flip || await c.ConsoleAsync() is not { } console) return;
        // The offset was taken in the board's own log; a capture that starts with this run has only what follows.
        if (!console.OutlivesTheRun) offset = console.Length;
        await UBootMenu.ChooseAsync(console, offset, flip.Previous, TimeSpan.FromSeconds(c.Campaign.Boot.TimeoutS), c.Output.Info);
    }

    private static async Task<StepResult> VerifyAndRestoreAsync(BuildContext c, SshTarget ssh, string release, string bootId, string imageSha, CancellationToken ct)
    {
        var verified = await VerifyAsync(c, ssh, release, bootId, imageSha, ct);
        await DefaultFlip.RestoreAsync(c, "the test kernel is verified", ct);
        return verified;
    }

    private static async Task<StepResult> VerifyAsync(BuildContext c, SshTarget ssh, string release, string bootId, string imageSha, CancellationToken ct)
    {
        var smoke = c.Campaign.Boot.Smoke;
        var check = await ssh.RunAsync(BootCheck.Command(smoke), TimeSpan.FromSeconds(60 * (smoke.Count + 1)), ct);
        var (configText, results) = BootCheck.Parse(check.Output, smoke);
        var config = Kernel.Kconfig.DotConfig.Parse(configText);
        var missing = Kernel.Kconfig.RunningConfig.Missing(c.Campaign.Config, config);
        if (missing.Count > 0)
            throw new NoBootException($"{release} is running but lacks requested options: {string.Join(", ", missing)} — a different build with the same release?");
        if (results.FirstOrDefault(r => !r.Passed) is { } failed)
            throw new InvalidOperationException($"smoke test '{failed.Command}' failed on {release} (exit {failed.ExitCode}): {failed.Output.Trim()}");
        c.Output.Info($"running {release}, boot id {bootId}{(config.Values.Count > 0 ? ", config verified" : "")}, {c.Campaign.Boot.Smoke.Count} smoke test(s) passed");
        return StepResult.Ok(BootRecords.Verified(release, bootId, imageSha));
    }
}

/// <summary>The test kernel did not come up (or came up as something else): verdict no-boot, never a patch's fault of infrastructure.</summary>
public sealed class NoBootException(string message) : Exception(message);
