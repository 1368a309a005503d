using System.Text.Json.Serialization;

namespace KernelSoak.Journal;

public enum JournalEvent { Start, End, Note }

/// <summary>The notes a later run acts on, typed so no reader matches their text; Text is a note only people read.</summary>
public enum NoteKind
{
    Text, RebootIssued, FlipIntent, DefaultFlipped, DefaultRestored, InfraError, LavaJobSubmitted,
    /// <summary>A background build of a later point (series.pipeline): begun, and how it ended. Never a step: no run resumes one.</summary>
    PrebuildStarted, PrebuildBuilt, PrebuildStopped, PrebuildFailed,
}

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
    /// <summary>A note's kind as written (absent in journals from before kinds: see <see cref="NoteKind"/>).</summary>
    [JsonPropertyName("kind")] public NoteKind? Kind { get; init; }

    /// <summary>What a note means: its kind, or for a journal written before kinds, the kind its text then stood for.</summary>
    [JsonIgnore]
    public NoteKind NoteKind => Event != JournalEvent.Note ? NoteKind.Text : Kind ?? NoteWords.KindOf(Note);
}

/// <summary>
/// The words each kind of note is written with: the text every journal before kinds held alone, so one
/// table both writes new notes and reads old ones.
/// </summary>
public static class NoteWords
{
    private static readonly Dictionary<NoteKind, string> Words = new()
    {
        [NoteKind.RebootIssued] = "reboot issued",
        [NoteKind.FlipIntent] = "default flip intent",
        [NoteKind.DefaultFlipped] = "default flipped",
        [NoteKind.DefaultRestored] = "default restored",
        [NoteKind.InfraError] = "infra-error",
        [NoteKind.LavaJobSubmitted] = "lava job submitted",
        [NoteKind.PrebuildStarted] = "prebuild started",
        [NoteKind.PrebuildBuilt] = "prebuild built",
        [NoteKind.PrebuildStopped] = "prebuild stopped",
        [NoteKind.PrebuildFailed] = "prebuild failed",
    };

    public static string Of(NoteKind kind) => Words[kind];

    public static NoteKind KindOf(string? words) => Words.FirstOrDefault(w => w.Value == words) is { Value: not null } w ? w.Key : NoteKind.Text;
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
