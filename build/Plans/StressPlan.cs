using KernelSoak.Campaigns;
using KernelSoak.Steps;

namespace KernelSoak.Build.Plans;

/// <summary>The stress window: the campaign's workloads under supervision while the monitor watches.</summary>
public static class StressPlan
{
    public const string Capability = "stress + live monitor (issue: Stress + live monitor + Harvest)";

    public static IEnumerable<Step> Steps(BuildContext c, string prefix)
    {
        var b = c.Board;
        var monitor = c.Campaign.Monitor;
        yield return Step.Pending($"{prefix}/monitor", "attach the live monitor: kernel log from boot start" + (monitor.Netconsole ? " + netconsole" : ""), Capability,
            [b.Ssh("journalctl -k -f -o short-monotonic -b 0 2>/dev/null || cat /dev/kmsg"),
             .. monitor.Netconsole ? new[] { b.Ssh($"modprobe netconsole netconsole=+@/{c.Settings.Netconsole.BoardInterface},{c.Settings.Netconsole.HostPort}@{c.Settings.Netconsole.HostAddress}/") } : []]);
        foreach (var profile in c.Campaign.Stress.Where(s => s.Enabled))
        {
            var id = $"{prefix}/{profile.Name}";
            if (profile.Kind == StressKind.Manual)
                yield return Step.Pending(id, $"manual: {profile.Instruction} (waits for confirmation)", Capability,
                    "(prompt) confirm when done, or touch " + Path.Combine(c.ArtifactsDir, "confirm", profile.Name));
            else
                yield return Step.Pending(id, $"{profile.Name} for {profile.DurationS} s ({profile.Commands.Count} concurrent, restarted on early exit)", Capability,
                    [.. profile.Commands.Select(cmd => b.Ssh($"setsid sh -c {Processes.CommandLine.Quote($"while :; do {cmd}; done")}"))]);
        }
        yield return Step.Pending($"{prefix}/heartbeat", $"wedge detection: SSH round trip + log progress every {monitor.HeartbeatS} s, wedge after {monitor.WedgeTimeoutS} s", Capability,
            b.Ssh("cat /proc/uptime"));
    }
}
