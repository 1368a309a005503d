using System.Text.RegularExpressions;
using KernelSoak.Boards;
using KernelSoak.Campaigns;
using KernelSoak.Journal;
using KernelSoak.Kernel;
using KernelSoak.Remote;
using KernelSoak.Settings;
using KernelSoak.Steps;

namespace KernelSoak.Build.Plans;

/// <summary>
/// Reboot into the test kernel and prove it is the one running: the reboot is a step boundary (a host
/// killed after issuing it resumes at the wait), a board already running this build is not rebooted,
/// and a kernel that came up on another label is never taken for the test kernel.
/// </summary>
public static partial class BootPlan
{
    public static IEnumerable<Step> Steps(BuildContext c, string prefix)
    {
        var i = c.Campaign.Install;
        var manifest = File.Exists(c.ManifestPath) ? BuildManifest.Load(c.ManifestPath) : null;
        var release = manifest?.Release ?? PlanText.Release(c);
        var select = i.BootSelection switch
        {
            BootSelection.SerialMenu => $"choose label {i.Label} at U-Boot's menu over the serial console (default stays {i.DefaultLabel})",
            BootSelection.FlipDefault => $"flip default to {i.Label}, reverted as soon as the kernel is verified",
            _ => $"the person at the board picks {i.Label} at the U-Boot menu",
        };
        var step = $"{prefix}/boot";
        yield return new Step(step, $"reboot into {release}: {select}; verify uname -r, boot id and running config",
            Fingerprint.Of(release, manifest?.Image.Sha256 ?? ""),
            [c.Board.Ssh("cat /proc/sys/kernel/random/boot_id"), c.Board.Ssh("reboot"), c.Board.Ssh("uname -r; cat /proc/sys/kernel/random/boot_id; zcat /proc/config.gz")],
            ct => BootOrNoBootAsync(c, prefix, step, release, manifest?.Image.Sha256 ?? "", ct));
    }

    /// <summary>A kernel that does not come up is the probe's verdict (no-boot), once the board is back on a kernel that does.</summary>
    private static async Task<StepResult> BootOrNoBootAsync(BuildContext c, string prefix, string step, string release, string imageSha, CancellationToken ct)
    {
        try
        {
            return await BootAsync(c, step, release, imageSha, ct);
        }
        catch (NoBootException e)
        {
            c.Output.Warn($"NO-BOOT: {e.Message}");
            var dir = StressPlan.ProbeDir(c, prefix);
            Directory.CreateDirectory(dir);
            if (c.Settings.Board.Kind == BoardKind.Qemu && File.Exists(Tasks.EmulatedBoard.For(c).Files.ConsoleLog))
                File.Copy(Tasks.EmulatedBoard.For(c).Files.ConsoleLog, Path.Combine(dir, "console.log"), overwrite: true);
            c.DropBoardSession();
            SshTarget back;
            try
            {
                back = await SshWait.UntilUpAsync(c.BoardEndpoint, TimeSpan.FromSeconds(c.Campaign.Boot.TimeoutS), ct);
            }
            catch (TimeoutException)
            {
                throw new Cake.Frosting.UserErrorException($"{release} did not boot and the board did not come back on its own: {DefaultFlip.Instruction(c)}. " +
                    $"Serial log: {Path.Combine(dir, "console.log")}");
            }
            using (back)
            {
                var (running, _) = await back.IdentityAsync(ct);
                c.Output.Info($"the board is back on {running} ({(running == release ? "the test kernel, rejected above" : $"label {c.Campaign.Install.DefaultLabel}")})");
            }
            await DefaultFlip.RestoreAsync(c, "the test kernel did not boot", ct);
            var outcome = new Soak.ProbeOutcome(Soak.Verdicts.NoBoot, [], [], [], [], e.Message, 0);
            await File.WriteAllTextAsync(Path.Combine(dir, "probe.json"), System.Text.Json.JsonSerializer.Serialize(outcome, StressPlan.Json), ct);
            return StepResult.Ok(new Dictionary<string, string> { ["verdict"] = Soak.Verdicts.NoBoot, ["release"] = release });
        }
    }

    /// <summary>The Image sha256 of the verified boot with this boot id (any probe's), if the journal has one.</summary>
    private static string? BootedImage(BuildContext c, string bootId) =>
        c.Journal.Entries.LastOrDefault(e => e.Event == JournalEvent.End && e.Outcome == Outcomes.Ok && e.Step.EndsWith("/boot", StringComparison.Ordinal)
            && e.Outputs?.GetValueOrDefault("boot_id") == bootId)?.Outputs?.GetValueOrDefault("image");

    /// <summary>True when this probe's boot step recorded no-boot: there is no kernel to stress.</summary>
    public static bool DidNotBoot(BuildContext c, string prefix) =>
        c.Journal.LastEnd($"{prefix}/boot")?.Outputs?.GetValueOrDefault("verdict") == Soak.Verdicts.NoBoot;

    private static async Task<StepResult> BootAsync(BuildContext c, string step, string release, string imageSha, CancellationToken ct)
    {
        var timeout = TimeSpan.FromSeconds(c.Campaign.Boot.TimeoutS);
        var ssh = await c.BoardAsync();
        var (running, bootId) = await ssh.IdentityAsync(ct);
        var issued = c.Journal.Entries.LastOrDefault(e => e.Step == step && e.Event == JournalEvent.Note && e.Note == "reboot issued");
        // The board already runs this build, booted after this step's own reboot (e.g. the host was killed
        // while waiting): a second reboot would only cost time.
        if (issued?.Outputs?.GetValueOrDefault("image") == imageSha && running == release && bootId != issued.Outputs?.GetValueOrDefault("boot_id"))
        {
            c.Output.Info($"the board already runs {release}, booted after this step's reboot: no second reboot");
            var verified = await VerifyAsync(c, ssh, release, bootId, imageSha, ct);
            await DefaultFlip.RestoreAsync(c, "the test kernel is verified", ct);
            return verified;
        }
        if (c.Campaign.Install.AllowModuleReload && running == release && BootedImage(c, bootId) == imageSha)
        {
            // This very Image has been running since a verified boot: only modules can differ.
            var changed = (c.Journal.LastEndWhere(id => id.EndsWith("install/modules", StringComparison.Ordinal))?.Outputs?.GetValueOrDefault("changed_modules") ?? "")
                .Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var installer = new Deploy.KernelInstaller(ssh, InstallPlan.Layout(c), c.Output.Info);
            if (await installer.ReloadModulesAsync(release, changed, ct))
            {
                var verified = await VerifyAsync(c, ssh, release, bootId, imageSha, ct);
                return StepResult.Ok(new Dictionary<string, string>(verified.Outputs) { ["reloaded"] = string.Join(' ', changed) });
            }
        }
        if (c.Campaign.Install.BootSelection == BootSelection.FlipDefault) await DefaultFlip.FlipAsync(c, step, ct);
        c.Journal.Note(step, "reboot issued", new Dictionary<string, string> { ["boot_id"] = bootId, ["image"] = imageSha });
        var console = c.Settings.Board.Kind == BoardKind.Qemu ? Tasks.EmulatedBoard.For(c).Console : null;
        var offset = console?.Length ?? 0;
        await ssh.RunAsync("(sleep 1; reboot) >/dev/null 2>&1 &", TimeSpan.FromSeconds(10), ct);
        c.DropBoardSession();
        c.Output.Info($"reboot issued (boot id was {bootId})");
        if (c.Campaign.Install.BootSelection == BootSelection.SerialMenu)
        {
            if (console is null) throw new Cake.Frosting.UserErrorException("boot_selection = serial-menu needs a serial console: the emulated board has one; for a real board use flip-default or manual");
            await ChooseAtMenuAsync(c, console, offset, c.Campaign.Install.Label, ct);
        }
        else if (c.Campaign.Install.BootSelection == BootSelection.Manual)
            c.Output.Warn($"at the board's U-Boot menu, choose '{c.Campaign.Install.Label}' now; waiting up to {timeout.TotalSeconds:0} s for SSH");
        var cycle = 0;
        while (true)
        {
            try
            {
                var (up, nowRunning, nowBoot) = await SshWait.UntilNewBootAsync(c.BoardEndpoint, bootId, timeout, ct);
                c.AdoptBoardSession(up); // the run's session from here on: no second handshake
                if (nowRunning != release)
                {
                    if (c.Campaign.Install.BootSelection == BootSelection.Manual)
                        await AskWhyAsync(c, nowRunning, release, ct);
                    throw new NoBootException($"the board came up on {nowRunning}, not {release}: the test kernel did not boot (see the serial log)");
                }
                var verified = await VerifyAsync(c, up, release, nowBoot, imageSha, ct);
                await DefaultFlip.RestoreAsync(c, "the test kernel is verified", ct);
                return verified;
            }
            catch (TimeoutException) when (cycle < c.Campaign.Boot.PowerCycles)
            {
                c.Output.Warn($"no SSH within {timeout.TotalSeconds:0} s: power-cycling ({cycle + 1}/{c.Campaign.Boot.PowerCycles})");
                var before = console?.Length ?? 0;
                cycle++;
                await PowerCycle.RunAsync(c, $"{release} did not come up", ct);
                // With the default flipped, the board would boot the same kernel again: take the known-good one.
                if (DefaultFlip.Pending(c) is { } flip && console is not null)
                    await ChooseAtMenuAsync(c, console, before, flip.Previous, ct);
            }
            catch (TimeoutException e)
            {
                throw new NoBootException($"{release} did not come up within {timeout.TotalSeconds:0} s after {c.Campaign.Boot.PowerCycles} power cycle(s): {e.Message}");
            }
        }
    }

    /// <summary>Manual selection: only the person at the board knows whether the kernel died or its label was missed; a miss is no verdict.</summary>
    private static async Task AskWhyAsync(BuildContext c, string running, string release, CancellationToken ct)
    {
        var question = new ManualBootQuestion(c.Output.Warn, Path.Combine(c.ArtifactsDir, "confirm"), TimeSpan.FromMinutes(c.Settings.Power.ConfirmMinutes));
        switch (await question.AskAsync(running, release, c.Campaign.Install.Label, ct))
        {
            case ManualBootAnswer.LabelMissed:
                throw new Cake.Frosting.UserErrorException($"the label {c.Campaign.Install.Label} was not chosen at the U-Boot menu: no verdict. Re-run the same command: the board reboots and you choose it again");
            case ManualBootAnswer.Unanswered:
                throw new Cake.Frosting.UserErrorException($"the board came up on {running}, not {release}, and nobody said why: no verdict. Re-run the same command to boot it again");
        }
    }

    /// <summary>After a reset of the emulated board while a flip is pending: boot the label the flip replaced, not the test kernel.</summary>
    public static Task PickPreviousDefaultAsync(BuildContext c, long offset) =>
        DefaultFlip.Pending(c) is { } flip && c.Settings.Board.Kind == BoardKind.Qemu
            ? ChooseAtMenuAsync(c, Tasks.EmulatedBoard.For(c).Console, offset, flip.Previous, CancellationToken.None)
            : Task.CompletedTask;

    /// <summary>U-Boot lists the labels as "N:\tmenu label"; type our number while it waits at "Enter choice:".</summary>
    private static async Task ChooseAtMenuAsync(BuildContext c, Boards.Qemu.SerialConsole console, long offset, string label, CancellationToken ct)
    {
        await console.WaitForAsync(EnterChoice(), offset, TimeSpan.FromSeconds(c.Campaign.Boot.TimeoutS), ct);
        var menu = console.ReadFrom(offset);
        var entry = MenuEntry().Matches(menu).Select(m => (Number: m.Groups[1].Value, Text: m.Groups[2].Value.Trim()))
            .LastOrDefault(e => e.Text.StartsWith(label + " ", StringComparison.Ordinal) || e.Text == label);
        if (entry.Number is null) throw new NoBootException($"label {label} is not in U-Boot's menu (the serial log shows the menu it printed)");
        // U-Boot's menu reads the line up to "\n" (a "\r" alone is echoed but never ends the line).
        await console.WriteAsync(entry.Number + "\n", ct);
        c.Output.Info($"U-Boot menu: chose {entry.Number} ({entry.Text})");
        try
        {
            await console.WaitForAsync(RetrievingKernel(), offset + menu.Length, TimeSpan.FromSeconds(5), ct);
        }
        catch (TimeoutException)
        {
            // The line did not end: end it again (an extra newline at a finished prompt is harmless).
            c.Output.Warn("U-Boot did not take the choice: sending the newline again");
            await console.WriteAsync("\n", ct);
        }
    }

    private static async Task<StepResult> VerifyAsync(BuildContext c, SshTarget ssh, string release, string bootId, string imageSha, CancellationToken ct)
    {
        var config = Kernel.Kconfig.DotConfig.Parse((await ssh.RunAsync("zcat /proc/config.gz 2>/dev/null || cat /boot/config-$(uname -r)", TimeSpan.FromSeconds(60), ct)).Output);
        var missing = c.Campaign.Config.Where(o => !o.Optional && o.Value != "undef" && config.Values.Count > 0 && config[o.Name] != o.Value).Select(o => $"{o.Name}={o.Value} (running: {config[o.Name]})").ToList();
        if (missing.Count > 0)
            throw new NoBootException($"{release} is running but lacks requested options: {string.Join(", ", missing)} — a different build with the same release?");
        foreach (var smoke in c.Campaign.Boot.Smoke)
        {
            var r = await ssh.RunAsync(smoke, TimeSpan.FromSeconds(60), ct);
            if (!r.Succeeded) throw new InvalidOperationException($"smoke test '{smoke}' failed on {release}: {r.Error.Trim()}");
        }
        c.Output.Info($"running {release}, boot id {bootId}{(config.Values.Count > 0 ? ", config verified" : "")}, {c.Campaign.Boot.Smoke.Count} smoke test(s) passed");
        return StepResult.Ok(new Dictionary<string, string> { ["release"] = release, ["boot_id"] = bootId, ["image"] = imageSha });
    }

    [GeneratedRegex(@"Enter choice:")] private static partial Regex EnterChoice();
    [GeneratedRegex(@"Retrieving file: /Image")] private static partial Regex RetrievingKernel();
    [GeneratedRegex(@"(?m)^(\d+):\t(.+)$")] private static partial Regex MenuEntry();
}

/// <summary>The test kernel did not come up (or came up as something else): verdict no-boot, never a patch's fault of infrastructure.</summary>
public sealed class NoBootException(string message) : Exception(message);
