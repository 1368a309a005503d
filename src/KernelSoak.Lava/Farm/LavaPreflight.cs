using KernelSoak.Lava.Api;
using KernelSoak.Lava.Jobs;
using KernelSoak.Settings;

namespace KernelSoak.Lava.Farm;

public sealed record LavaCheck(string Name, bool Passed, string Detail);

/// <summary>
/// Preflight of a LAVA board: the server answers and takes the token, the device type has a device that takes
/// jobs, the artifact server can listen where the settings say, and the campaign's job renders. Nothing is submitted.
/// </summary>
public static class LavaPreflight
{
    public static async Task<IReadOnlyList<LavaCheck>> CheckAsync(LavaSettings s, LavaProbeRequest sample, HttpMessageHandler? handler = null, CancellationToken ct = default)
    {
        var checks = new List<LavaCheck>();
        try
        {
            using var client = LavaFarm.Client(s, handler);
            var devices = await client.GetDevicesAsync(s.DeviceType, ct);
            checks.Add(new("lava-server", true, $"{client.Server} answered; the token was accepted"));
            var online = devices.Where(d => d.TakesJobs).ToList();
            var all = devices.Count == 0 ? "none" : string.Join(", ", devices.Select(d => $"{d.Hostname} {d.State}/{d.Health}"));
            checks.Add(new("device-type", online.Count > 0, online.Count > 0
                ? $"{s.DeviceType}: {online.Count} of {devices.Count} device(s) take jobs ({all})"
                : $"{s.DeviceType}: no device takes jobs (devices: {all}); a job would wait {s.QueueMinutes} min and be cancelled"));
        }
        catch (Exception e) when (e is LavaApiException or SettingsException or ArgumentException)
        {
            checks.Add(new("lava-server", false, e.Message));
        }
        checks.Add(await ArtifactsCheckAsync(s));
        checks.Add(JobCheck(s, sample));
        return checks;
    }

    private static async Task<LavaCheck> ArtifactsCheckAsync(LavaSettings s)
    {
        try
        {
            await using var server = LavaFarm.Artifacts(s, s.ArtifactPort);
            return new("artifacts", true, $"the dispatcher downloads from http://{(s.ArtifactHost.Length > 0 ? s.ArtifactHost : s.ArtifactBind)}:{(s.ArtifactPort == 0 ? "<free port>" : server.Port)}/" +
                (s.ArtifactBind == "127.0.0.1" ? " (127.0.0.1: a worker on this host only)" : ""));
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ArgumentException)
        {
            return new("artifacts", false, $"[Lava] ArtifactBind {s.ArtifactBind} port {s.ArtifactPort}: {e.Message}");
        }
    }

    /// <summary>The campaign's job rendered with stand-in URLs: a kernel argument, a prompt or a stress command LAVA could not take fails here, not in the lab.</summary>
    private static LavaCheck JobCheck(LavaSettings s, LavaProbeRequest sample)
    {
        if (s.RootDisk.Length > 0 && !File.Exists(s.RootDisk)) return new("job", false, $"[Lava] RootDisk {s.RootDisk} does not exist");
        try
        {
            var stand = new Uri("http://127.0.0.1/Image");
            var job = LavaFarm.Job(s, sample, new JobImages(stand, RootDisk: s.RootDisk.Length > 0 ? stand : null));
            JobYaml.Render(job);
            return new("job", true, $"{job.DeviceType}: kernel{(job.RootDisk is null ? "" : " + root disk")}, {job.Stress.Count} stress command(s), \"{string.Join(' ', job.KernelArguments)}\"");
        }
        catch (ArgumentException e)
        {
            return new("job", false, e.Message);
        }
    }
}
