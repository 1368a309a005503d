using System.Text.Json;
using KernelSoak.Campaigns;
using KernelSoak.Journal;
using KernelSoak.Soak;
using KernelSoak.Steps;

namespace KernelSoak.Build.Plans;

/// <summary>The stress window: the campaign's workloads under supervision while the monitor watches.</summary>
public static class StressPlan
{
    public static JsonSerializerOptions Json => ProbeFiles.Json;

    public static string ProbeDir(BuildContext c, string prefix) => Path.Combine(c.ArtifactsDir, prefix.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>
    /// A soak stresses on every run; a probe of the baseline or a patch stresses once per build it boots
    /// (a re-run after a kill resumes the interrupted window, a finished one is not repeated).
    /// </summary>
    public static IEnumerable<Step> Steps(BuildContext c, string prefix, IReadOnlySet<string>? preExisting = null, bool everyRun = false, ProbeWindow? window = null)
    {
        var probeInputs = WindowFingerprint(c, window);
        var b = c.Board;
        var monitor = c.Campaign.Monitor;
        var profiles = c.Campaign.Stress.Where(s => s.Enabled).ToList();
        var commands = Commands(c, window);
        var dir = ProbeDir(c, prefix);
        foreach (var manual in profiles.Where(p => p.Kind == StressKind.Manual))
            yield return new Step($"{prefix}/{manual.Name}", $"manual: {manual.Instruction}", Fingerprint.Of(manual.Instruction),
                [$"(waits for) touch {Path.Combine(c.ArtifactsDir, "confirm", manual.Name)}"],
                async ct =>
                {
                    if (new BootRecords(c.Journal).DidNotBoot(prefix)) return StepResult.Ok(note: "skipped: the test kernel did not boot");
                    var confirm = Path.Combine(c.ArtifactsDir, "confirm", manual.Name);
                    c.Output.Warn($"MANUAL STEP: {manual.Instruction}. When done: touch {confirm}");
                    while (!File.Exists(confirm)) await Task.Delay(1000, ct);
                    return StepResult.Ok();
                });
        yield return new Step($"{prefix}/stress", $"{string.Join(", ", profiles.Select(p => $"{p.Name} {window?.Seconds ?? p.DurationS:0} s"))}{(window is null ? "" : " (sized by the series search; ends at the first hunted report)")} under watch: kernel log from boot start" +
                $"{(monitor.Netconsole ? " + netconsole" : "")}, heartbeat every {monitor.HeartbeatS} s, wedge after {monitor.WedgeTimeoutS} s", probeInputs,
            [.. HarvestCommands.Announced(HarvestSources.Board with { Commands = [] }, Path.Combine(dir, "before-window"), b.Ssh),
             .. BoardNetconsole(c) is { } nc ? new[] { b.Ssh(nc.SetupCommand()) + "   # netconsole", b.Ssh(Netconsole.NetconsoleTarget.TeardownCommand()) + "   # after the window" } : [],
             b.Ssh("cat /dev/kmsg"), .. commands.Select(x => b.Ssh(window is null ? StressSession.Loop(x) : StressSession.Loop(x, "<seconds the search sizes>"))), b.Ssh("cat /proc/uptime") + "   # heartbeat"],
            async ct =>
            {
                if (new BootRecords(c.Journal).DidNotBoot(prefix))
                {
                    c.Output.Info("no stress window: the test kernel did not boot (verdict no-boot)");
                    return StepResult.Ok(new ProbeFiles(dir).WindowOutputs(VerdictWords.Of(Verdict.NoBoot)));
                }
                var nc = c.Settings.Netconsole;
                // Reloaded modules instead of a reboot: this boot's log already holds earlier probes' reports.
                double? since = null;
                if (new BootRecords(c.Journal).ReloadedModules(prefix))
                {
                    var uptime = await (await c.BoardAsync()).CheckAsync("cat /proc/uptime", TimeSpan.FromSeconds(30), ct);
                    since = double.Parse(uptime.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                    c.Output.Info($"same boot as an earlier probe: reports printed before {since:0.0} s of uptime are not this probe's");
                }
                var settings = new ProbeSettings(commands, monitor.Suppress, preExisting ?? new HashSet<string>(),
                    TimeSpan.FromSeconds(monitor.HeartbeatS), TimeSpan.FromSeconds(monitor.WedgeTimeoutS), monitor.StopOnFirstReport)
                {
                    LogSince = since,
                    StopOn = window?.StopOn,
                    Netconsole = BoardNetconsole(c) is { } target
                        ? new NetconsoleWatch(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(nc.HostAddress), nc.HostPort), target)
                        : null,
                };
                // pstore records already on the board belong to earlier boots: keep them aside (verified,
                // then erased) so this probe's harvest sees only what happens from now on.
                var earlier = await Harvester.HarvestAsync(await c.BoardAsync(), Path.Combine(dir, "before-window"), ct);
                if (earlier.Any(f => f.Erased)) c.Output.Info($"moved {earlier.Count(f => f.Erased)} earlier pstore record(s) aside to {Path.Combine(dir, "before-window")}");
                var outcome = await new Probe(c.BoardEndpoint, settings, c.Output.Info).RunAsync(dir, ct);
                c.Output.Info($"window over after {outcome.Seconds:0} s ({outcome.StressSeconds:0} s of stress): {outcome.Verdict}; stress {string.Join(", ", outcome.Stress.Select(s => $"{s.Profile} ×{s.Iterations}"))}");
                await new ProbeFiles(dir).WriteWindowAsync(outcome, ct);
                // A board that stopped answering is power-cycled whatever the verdict: a panic reported over
                // netconsole is a report, and the board is just as dead.
                if (outcome.BoardStoppedAnswering) await RecoverAsync(c, ct);
                return StepResult.Ok(new ProbeFiles(dir).WindowOutputs(outcome.Verdict));
            }) { AlwaysRun = everyRun };
    }

    /// <summary>The board's netconsole target when the campaign or the settings watch netconsole; null otherwise.</summary>
    private static Netconsole.NetconsoleTarget? BoardNetconsole(BuildContext c)
    {
        var nc = c.Settings.Netconsole;
        return c.Campaign.Monitor.Netconsole || nc.Enabled ? new(nc.BoardInterface, nc.TargetAddress, nc.HostPort, nc.TargetMac) : null;
    }

    /// <summary>The campaign's enabled command workloads, each as long as its profile says or the search's window.</summary>
    public static List<StressCommand> Commands(BuildContext c, ProbeWindow? window = null) =>
        c.Campaign.Stress.Where(p => p.Enabled && p.Kind == StressKind.Commands)
            .SelectMany(p => p.Commands.Select(cmd => new StressCommand(p.Name, cmd, TimeSpan.FromSeconds(window?.Seconds ?? p.DurationS)))).ToList();

    /// <summary>A probe's inputs: the build and stress settings, and the window's length when the search sized it.</summary>
    public static string WindowFingerprint(BuildContext c, ProbeWindow? window) => window is null ? ProbeFingerprint(c)
        : Fingerprint.Of(ProbeFingerprint(c), window.Seconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>What a probe boots: the build (manifest) and the campaign's stress and monitor settings.</summary>
    public static string ProbeFingerprint(BuildContext c) => Fingerprint.Of(
        File.Exists(c.ManifestPath) ? Kernel.BuildManifest.Load(c.ManifestPath).Fingerprint : "",
        JsonSerializer.Serialize(c.Campaign.Stress), JsonSerializer.Serialize(c.Campaign.Monitor));

    /// <summary>A wedged board is power-cycled (it comes back on its known-good default) so harvest can run.</summary>
    private static async Task RecoverAsync(BuildContext c, CancellationToken ct)
    {
        await PowerCycle.RunAsync(c, "the board is wedged", ct);
        using var up = await Remote.SshWait.UntilUpAsync(c.BoardEndpoint, TimeSpan.FromSeconds(c.Campaign.Boot.TimeoutS), ct);
    }
}
