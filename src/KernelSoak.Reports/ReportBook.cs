using System.Text.RegularExpressions;

namespace KernelSoak.Reports;

/// <summary>
/// The reports of a run, deduplicated by title (two reports are the same bug when their titles match),
/// with known noise (the plan's R9) set aside by title regex rather than dropped.
/// </summary>
public sealed class ReportBook(IEnumerable<string> suppressions)
{
    private readonly List<Regex> _suppress = suppressions.Select(s => new Regex(s, RegexOptions.CultureInvariant)).ToList();
    private readonly Dictionary<string, Entry> _byTitle = new(StringComparer.Ordinal);

    public sealed class Entry(KernelReport first)
    {
        public KernelReport First { get; } = first;
        public int Count { get; set; } = 1;
        public SortedSet<string> Sources { get; } = [first.Source];
        public bool Suppressed { get; init; }
    }

    /// <summary>Whether a report with this title is in the book already (its text would not be kept).</summary>
    public bool Knows(string title) => _byTitle.ContainsKey(title);

    /// <summary>Adds a report; true when its title is new (and not suppressed).</summary>
    public bool Add(KernelReport report)
    {
        if (_byTitle.TryGetValue(report.Title, out var known))
        {
            known.Count++;
            known.Sources.Add(report.Source);
            return false;
        }
        var suppressed = _suppress.Any(r => r.IsMatch(report.Title));
        _byTitle[report.Title] = new Entry(report) { Suppressed = suppressed };
        return !suppressed;
    }

    public IReadOnlyList<Entry> Reports => _byTitle.Values.Where(e => !e.Suppressed).ToList();
    public IReadOnlyList<Entry> Suppressed => _byTitle.Values.Where(e => e.Suppressed).ToList();
}
