using KernelSoak.Lava.Api;
using KernelSoak.Settings;

namespace KernelSoak.Lava.Farm;

/// <summary>How many jobs a binary search's round runs at once on LAVA, and where each job's kernel is served.</summary>
public static class LavaBoards
{
    /// <summary>
    /// The devices of the device type that take jobs (LAVA schedules to no other), capped by [Lava] Boards; never
    /// below 1: with none online the round's one job waits and is cancelled as infra-error, as a single probe's is.
    /// </summary>
    public static int Count(LavaSettings s, IReadOnlyList<LavaDevice> devices)
    {
        var online = Math.Max(1, devices.Count(d => d.TakesJobs));
        return s.Boards > 0 ? Math.Min(online, s.Boards) : online;
    }

    /// <summary>
    /// k for a binary search's rounds on this board: 1 for a board of its own (qemu, ssh); on a LAVA farm the devices
    /// that take jobs — in a dry run [Lava] Boards when set, as the dry run asks the server nothing.
    /// </summary>
    public static async Task<(int Boards, string? Why)> ForSearchAsync(BoardSettings board, LavaSettings s, bool dryRun, HttpMessageHandler? handler = null, CancellationToken ct = default)
    {
        if (!board.IsFarm) return (1, null);
        if (dryRun && s.Boards > 0) return (s.Boards, $"rounds of up to [Lava] Boards = {s.Boards} job(s) (a dry run does not ask the server how many devices take jobs)");
        return await AskAsync(s, handler, ct);
    }

    /// <summary>Asks the server, as preflight does; [Lava] Boards = 1 asks nothing (one probe at a time, as without rounds).</summary>
    public static async Task<(int Boards, string Why)> AskAsync(LavaSettings s, HttpMessageHandler? handler = null, CancellationToken ct = default)
    {
        if (s.Boards == 1) return (1, "[Lava] Boards = 1: one probe at a time");
        try
        {
            using var client = LavaFarm.Client(s, handler);
            var devices = await client.GetDevicesAsync(s.DeviceType, ct);
            var k = Count(s, devices);
            return (k, $"{devices.Count(d => d.TakesJobs)} {s.DeviceType} device(s) take jobs{(s.Boards > 0 ? $", [Lava] Boards = {s.Boards}" : "")}: rounds of up to {k} job(s)");
        }
        catch (LavaApiException e)
        {
            // The probe's own job will meet the same trouble and say it as infra-error: here one board is the safe guess.
            return (1, $"the devices of {s.DeviceType} could not be counted ({e.Message}): one probe at a time");
        }
    }

    /// <summary>
    /// One artifact server per job, so each serves its own probe's Image under the same name and a reattached job
    /// gets its own port back (the journal keeps each job's). A fixed [Lava] ArtifactPort becomes a range: slot i of
    /// a round listens on ArtifactPort + i (two servers cannot share a port).
    /// </summary>
    public static int ArtifactPort(LavaSettings s, int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        if (s.ArtifactPort == 0) return 0;
        var port = s.ArtifactPort + slot;
        return port <= 65535 ? port : throw new SettingsException($"[Lava] ArtifactPort {s.ArtifactPort}: a round's job {slot + 1} would listen past port 65535; pick a lower port or 0");
    }
}
