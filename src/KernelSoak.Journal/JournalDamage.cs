using System.Text.Json;
using System.Text.RegularExpressions;

namespace KernelSoak.Journal;

/// <summary>
/// A journal line that could not be read: garbled in the middle (outside interference, a disk error) or
/// torn at the end (a crash mid-append). It stands between <see cref="EntriesBefore"/> readable entries and
/// the next; the steps it may have ended (<see cref="Affects"/>) are not done until they end again.
/// </summary>
public sealed record JournalDamage(int Line, int EntriesBefore, string? Step, string Excerpt, bool Torn, IReadOnlySet<string> Affects)
{
    public string Describe() =>
        $"journal line {Line} is {(Torn ? "torn (a crash mid-append)" : "garbled")}: '{Excerpt}'" +
        (Affects.Count == 0 ? "; it names no step that was running, so no step depends on it"
            : $"; {string.Join(", ", Affects.Order(StringComparer.Ordinal))} will re-run (its end there could not be read)");
}

/// <summary>Reads what can be read of a damaged line, and which steps it may have ended.</summary>
public static partial class JournalDamageReader
{
    [GeneratedRegex("\"step\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex StepField();

    /// <summary>
    /// The step a damaged line names, when its "step" field survived; else every step running at that point
    /// (started, not ended): an end line only ever follows its own start, so the line can only have ended one of them.
    /// </summary>
    public static JournalDamage Read(int line, string text, IReadOnlyList<JournalEntry> before, bool torn)
    {
        var step = StepName(text);
        IReadOnlySet<string> affects = step is not null ? new HashSet<string> { step } : RunningSteps(before);
        var excerpt = text.Length > 80 ? text[..80] + "…" : text;
        return new JournalDamage(line, before.Count, step, excerpt.ReplaceLineEndings(" "), torn, affects);
    }

    private static string? StepName(string text)
    {
        if (StepField().Match(text) is not { Success: true } match) return null;
        try
        {
            return JsonSerializer.Deserialize<string>("\"" + match.Groups[1].Value + "\"");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static HashSet<string> RunningSteps(IReadOnlyList<JournalEntry> before)
    {
        var running = new HashSet<string>();
        foreach (var entry in before)
        {
            if (entry.Event == JournalEvent.Start) running.Add(entry.Step);
            else if (entry.Event == JournalEvent.End) running.Remove(entry.Step);
        }
        return running;
    }
}
