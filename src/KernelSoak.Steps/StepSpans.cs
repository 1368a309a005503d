using KernelSoak.Journal;

namespace KernelSoak.Steps;

/// <summary>A step's start paired with its end in the journal (the end entry carries outcome, outputs, note).</summary>
public sealed record StepSpan(string Step, DateTimeOffset Start, JournalEntry End)
{
    /// <summary>Every ended step in journal order, and the steps still open at the end (a killed run).</summary>
    public static (List<StepSpan> Ended, Dictionary<string, DateTimeOffset> Open) Of(IEnumerable<JournalEntry> entries)
    {
        var ended = new List<StepSpan>();
        var open = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            if (e.Event == JournalEvent.Start) open[e.Step] = e.At;
            else if (e.Event == JournalEvent.End && open.Remove(e.Step, out var start)) ended.Add(new StepSpan(e.Step, start, e));
        }
        return (ended, open);
    }
}
