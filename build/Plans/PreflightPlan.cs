using System.Globalization;
using System.Text.RegularExpressions;
using KernelSoak.Boards.Strategy;
using KernelSoak.Boot;
using KernelSoak.Campaigns;
using KernelSoak.Deploy;
using KernelSoak.Kernel;
using KernelSoak.Remote;
using KernelSoak.Steps;
using KernelSoak.Processes;
using KernelSoak.Frosting;

namespace KernelSoak.Build.Plans;

/// <summary>The checks before anything is changed (the seed plan's pre-flight and R7, R8, R11): all must pass.</summary>
public static partial class PreflightPlan
{
    private sealed record Check(string Name, bool Passed, string Detail);

    public static IEnumerable<Step> Steps(BuildContext c)
    {
        var install = c.Campaign.Install;
        var b = c.Board;
        yield return new Step("preflight", $"board {b.Address}: SSH + host key, arch, {install.BootDir} space, extlinux labels, ramoops, tools, boot selection", "",
        [b.Ssh(FactsCommand(c))], ct => RunAsync(c, ct)) { AlwaysRun = true };
    }

    private static List<string> Tools(BuildContext c) => new[] { "depmod", InitramfsTools.Program(c.Campaign.Install.Initramfs) }.Where(t => t.Length > 0).ToList();

    /// <summary>
    /// Every fact in one round trip, the same command in the dry run and the run: each remote command
    /// costs a few processes and a round trip (about a second under TCG), and a finished run re-checks all of them.
    /// </summary>
    private static string FactsCommand(BuildContext c)
    {
        var install = c.Campaign.Install;
        var boot = CommandLine.Quote(install.BootDir);
        return string.Join("; ",
        [
            Section("id"), "uname -m; uname -r; cat /proc/sys/kernel/random/boot_id",
            Section("boot-dir"), $"if mountpoint -q {boot} && test -w {boot}; then df -k {boot} | tail -1; fi",
            Section("extlinux"), $"cat {CommandLine.Quote(install.Extlinux)} 2>&1 || echo '{NoFile}'",
            Section("cmdline"), "cat /proc/cmdline", Section("iomem"), "cat /proc/iomem",
            // A ramoops node of the device tree: its parent's cell sizes and its reg, as bytes.
            Section("dt-ramoops"), "d=/proc/device-tree/reserved-memory; for n in $d/*; do case \"$(cat $n/compatible 2>/dev/null)\" in *ramoops*) od -An -tx1 -v $d/#address-cells $d/#size-cells $n/reg; break;; esac; done 2>/dev/null",
            Section("missing"), string.Join("; ", Tools(c).Select(t => $"command -v {t} >/dev/null || echo {t}")),
            Section("selection"), SelectionPreflight.ProbeCommand,
            Section("end"), "true",
        ]);
    }

    private static async Task<StepResult> RunAsync(BuildContext c, CancellationToken ct)
    {
        var install = c.Campaign.Install;
        var checks = new List<Check>();
        var ssh = await c.BoardAsync(); // the run's shared session (BoardUp's, or a new one that waits out a pending reboot)
        checks.Add(new("ssh", true, $"{ssh.Endpoint}, host key {ssh.HostKeyFingerprint}"));

        var tools = Tools(c);
        var facts = Sections(await ssh.ReadAsync(FactsCommand(c), TimeSpan.FromSeconds(60), ct));

        var id = facts["id"].Split('\n');
        var wantArch = KernelArch.UnameMachine(c.Campaign.Kernel.Arch);
        checks.Add(new("arch", id[0].Trim() == wantArch, $"board {id[0].Trim()}, campaign {c.Campaign.Kernel.Arch}; running {id[1].Trim()}"));

        if (facts["boot-dir"].Trim().Length == 0) checks.Add(new("boot-dir", false, $"{install.BootDir} is not a mounted, writable filesystem"));
        else
        {
            var free = RemoteFiles.ParseFreeBytes(facts["boot-dir"], install.BootDir);
            var need = InitramfsTools.BootSpaceNeeded(install, File.Exists(c.ManifestPath) ? BuildManifest.Load(c.ManifestPath) : null);
            checks.Add(new("boot-space", free >= need, $"{free / 1024 / 1024} MiB free, need {need / 1024 / 1024} MiB (Image + DTB + initramfs + 10 %, floor {install.MinFreeMb} MiB)"));
        }

        var defaultAppend = "";
        string? runningOtherLabel = null;
        try
        {
            var text = facts["extlinux"];
            if (text.TrimEnd().EndsWith(NoFile, StringComparison.Ordinal)) throw new ExtlinuxException(text.TrimEnd()[..^NoFile.Length].Trim());
            var config = ExtlinuxConfig.Parse(text);
            config.Validate();
            var names = config.Labels.Select(l => l.Name).ToHashSet();
            var missing = new[] { install.DefaultLabel }.Concat(install.FallbackLabels).Where(l => !names.Contains(l)).ToList();
            checks.Add(new("extlinux", missing.Count == 0, missing.Count == 0
                ? $"{config.Labels.Count} labels; default and fallbacks present"
                : $"missing label(s) {string.Join(", ", missing)} (has {string.Join(", ", names)})"));
            defaultAppend = config.Labels.FirstOrDefault(l => l.Name == install.DefaultLabel)?.Append ?? "";
            runningOtherLabel = ExtlinuxQueries.LabelRunning(config, install.DefaultLabel, id[1].Trim());
            var (passed, detail) = DefaultFlipJournal.CheckDefault(config, install.DefaultLabel, DefaultFlipJournal.PendingIn(c.Journal));
            checks.Add(new("default", passed, detail));
            // The release is not known before ConfigureKernel; the names' shapes are what u-boot-update reads.
            var release = PlanText.Release(c) is var r && r != PlanText.ReleasePlaceholder ? r : "0.0.0-kernelsoak";
            var regeneration = UBootUpdate.Check(text, InstallPlan.Layout(c).ReleasePaths(release));
            if (regeneration.Generated) checks.Add(new("u-boot-menu", !regeneration.Strands, regeneration.Detail(install.Label)));
        }
        catch (ExtlinuxException e)
        {
            checks.Add(new("extlinux", false, $"{install.Extlinux}: {e.Message}"));
        }

        checks.Add(RamoopsCheck(facts["cmdline"], facts["dt-ramoops"], facts["iomem"]));
        checks.Add(await ConsoleCheckAsync(c, ct));
        checks.Add(SelectionCheck(c, facts["selection"], defaultAppend, runningOtherLabel));

        var absent = facts["missing"].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        checks.Add(new("tools", absent.Length == 0, absent.Length == 0 ? string.Join(", ", tools) : $"missing on the board: {string.Join(", ", absent)}"));

        c.Output.Checks(checks.Select(x => (x.Name, x.Passed, x.Detail)));
        var failed = checks.Where(x => !x.Passed).ToList();
        if (failed.Count > 0)
            throw new UserErrorException($"preflight failed ({string.Join(", ", failed.Select(f => f.Name))}): nothing was changed on the board. {failed[0].Detail}");
        // A default flipped by a run that never got to restore it goes back first (the board must not keep booting a test kernel).
        await DefaultFlip.RestoreAsync(c, "the previous run stopped before it could", ct);
        return StepResult.Ok(new Dictionary<string, string> { ["host_key"] = ssh.HostKeyFingerprint, ["running"] = id[1].Trim(), ["boot_id"] = id[2].Trim() });
    }

    /// <summary>The console is opened here, before anything boots, so every boot of the run is captured from its start.</summary>
    private static async Task<Check> ConsoleCheckAsync(BuildContext c, CancellationToken ct)
    {
        Boards.Consoles.IConsole? console;
        try
        {
            console = await c.ConsoleAsync(ct);
        }
        catch (Exception e) when (e is KernelSoak.Settings.SettingsException or IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException or TimeoutException)
        {
            return new("console", false, $"[Console] Kind = {c.Settings.Console.Kind.ToString().ToLowerInvariant()}: {e.Message}");
        }
        // A boot_selection that needs a console (serial-menu) is refused by the boot-selection line.
        return console is null
            ? new("console", true, "none ([Console] Kind = none): boots are followed over SSH only, a panic is seen at the boot timeout")
            : new("console", true, $"{console.Description}, captured to {console.CapturePath}");
    }

    private const string NoFile = "@@no-such-file@@";
    private static string Section(string name) => $"printf '\\n@@ks:{name}\\n'";

    /// <summary>The output of the one preflight command, by section (each exactly as printed: a file keeps its bytes).</summary>
    private static Dictionary<string, string> Sections(string output)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        var parts = output.Split("\n@@ks:");
        foreach (var part in parts.Skip(1))
        {
            var newline = part.IndexOf('\n');
            var name = newline < 0 ? part : part[..newline];
            var body = newline < 0 ? "" : part[(newline + 1)..];
            sections[name] = body;
        }
        return sections;
    }

    /// <summary>The seed's R8: the ramoops carve-out (kernel parameters or device tree) must not be RAM the kernel uses.</summary>
    private static Check RamoopsCheck(string cmdline, string deviceTree, string iomem)
    {
        var regions = new[] { Ramoops.FromCmdline(cmdline), Ramoops.FromDeviceTree(deviceTree) }.OfType<Ramoops.Region>().ToList();
        if (regions.Count == 0) return new("ramoops", true, "no ramoops region (kernel parameters or device tree): nothing to check; pstore will be empty after a crash");
        var map = MemoryMap.Parse(iomem);
        var results = regions.Select(r => Ramoops.Check(r, map)).ToList();
        return new("ramoops", results.All(r => r.Safe), string.Join("; ", results.Where(r => !r.Safe).DefaultIfEmpty(results[0]).Select(r => r.Detail)));
    }

    /// <summary>The campaign's boot_selection must be one this board supports: one that cannot choose the test kernel, or that a dying test kernel would strand, is refused.</summary>
    private static Check SelectionCheck(BuildContext c, string probe, string defaultAppend, string? runningOtherLabel)
    {
        var install = c.Campaign.Install;
        // The test label's command line as the installer writes it: the default label's append + append_extra.
        var testCommandLine = string.Join(' ', new[] { defaultAppend }.Concat(install.AppendExtra).Where(w => w.Length > 0));
        var board = SelectionPreflight.Parse(probe, hasConsole: c.Settings.Console.Kind != Settings.ConsoleKind.None,
            canPowerCycle: c.Settings.Power.Switch != Settings.PowerSwitchKind.None, testCommandLine) with { RunningOtherLabel = runningOtherLabel };
        var wanted = Soak.BootPolicy.LabelSelectionOf(install.BootSelection);
        return board.Refusal(wanted) is { } refusal
            ? new("boot-selection", false, refusal)
            : new("boot-selection", true, $"{board.Verdict(wanted)}; supported here: {board.Supported}");
    }
}
