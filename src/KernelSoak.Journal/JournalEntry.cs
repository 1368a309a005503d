using System.Text.Json.Serialization;

namespace KernelSoak.Journal;

public enum JournalEvent { Start, End, Note }

/// <summary>One line of the journal. A step is done when its last End has Outcome "ok" and the same fingerprint.</summary>
public sealed record JournalEntry
{
    [JsonPropertyName("seq")] public long Seq { get; init; }
    [JsonPropertyName("step")] public string Step { get; init; } = "";
    [JsonPropertyName("fp")] public string Fingerprint { get; init; } = "";
    [JsonPropertyName("event")] public JournalEvent Event { get; init; }
    [JsonPropertyName("outcome")] public string? Outcome { get; init; }
    [JsonPropertyName("at")] public DateTimeOffset At { get; init; }
    [JsonPropertyName("outputs")] public Dictionary<string, string>? Outputs { get; init; }
    [JsonPropertyName("note")] public string? Note { get; init; }
}

public static class Outcomes
{
    public const string Ok = "ok";
    public const string Failed = "failed";
    /// <summary>Stopped by the user (Ctrl+C, SIGTERM): the step is redone, as one a killed run left, by the next run.</summary>
    public const string Cancelled = "cancelled";
    /// <summary>Not a recorded outcome: the journal line that held the step's end could not be read (<see cref="JournalDamage"/>).</summary>
    public const string Unreadable = "unreadable";
}
