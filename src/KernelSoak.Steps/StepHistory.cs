using System.Globalization;
using KernelSoak.Journal;

namespace KernelSoak.Steps;

/// <summary>
/// How long steps took before, from the journal's start/end pairs: the seed plan guesses its wall times
/// ("75–90 min"); this measures them. A step with no history of its own borrows its kind's (the last part
/// of its id: every probe's "boot" is a boot).
/// </summary>
public sealed class StepHistory
{
    private readonly Dictionary<string, List<double>> _byStep = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<double>> _byKind = new(StringComparer.Ordinal);

    public StepHistory(IEnumerable<JournalEntry> entries)
    {
        foreach (var span in StepSpan.Of(entries).Ended.Where(s => s.End.Outcome == Outcomes.Ok))
        {
            var seconds = (span.End.At - span.Start).TotalSeconds;
            Add(_byStep, span.Step, seconds);
            Add(_byKind, Kind(span.Step), seconds);
        }
    }

    /// <summary>The median earlier duration and how many runs it comes from; null with no history.</summary>
    public (double Seconds, int Runs, bool OfKind)? Expected(string step)
    {
        if (_byStep.TryGetValue(step, out var own)) return (Median(own), own.Count, false);
        return _byKind.TryGetValue(Kind(step), out var kind) ? (Median(kind), kind.Count, true) : null;
    }

    /// <summary>"expected ~42 s, median of 3 runs", or "no history".</summary>
    public string Describe(string step) => Expected(step) is { } x
        ? $"expected ~{Format(x.Seconds)}, median of {x.Runs} {(x.OfKind ? $"earlier '{Kind(step)}' steps" : x.Runs == 1 ? "run" : "runs")}"
        : "no history";

    public static string Format(double seconds) =>
        seconds < 90 ? $"{seconds.ToString("0", CultureInfo.InvariantCulture)} s"
        : seconds < 5400 ? $"{(seconds / 60).ToString("0.#", CultureInfo.InvariantCulture)} min"
        : $"{(seconds / 3600).ToString("0.#", CultureInfo.InvariantCulture)} h";

    private static string Kind(string step) => step[(step.LastIndexOf('/') + 1)..];

    private static void Add(Dictionary<string, List<double>> map, string key, double seconds)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(seconds);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
