namespace KernelSoak.Lava.Api;

/// <summary>LAVA's TestJob.state: where the job is in its life.</summary>
public enum LavaJobState { Submitted, Scheduling, Scheduled, Running, Canceling, Finished }

/// <summary>LAVA's TestJob.health: how a finished job ended (Unknown while it runs).</summary>
public enum LavaJobHealth { Unknown, Complete, Incomplete, Canceled }

/// <summary>One reading of GET /api/v0.2/jobs/{id}/.</summary>
public sealed record LavaJobStatus(
    int Id,
    LavaJobState State,
    LavaJobHealth Health,
    string? Device,
    DateTimeOffset? Submitted,
    DateTimeOffset? Started,
    DateTimeOffset? Ended,
    string? FailureComment)
{
    public bool IsFinished => State == LavaJobState.Finished;
}

/// <summary>One device of GET /api/v0.2/devices/: its state (Idle, Reserved, Running) and health (Good, Unknown, Maintenance, Bad, Looping, Retired).</summary>
public sealed record LavaDevice(string Hostname, string DeviceType, string State, string Health, string? Worker)
{
    /// <summary>LAVA schedules jobs only to devices of these healths.</summary>
    public bool TakesJobs => Health is "Good" or "Unknown";
}
