using KernelSoak.Campaigns;
using KernelSoak.Probes;
using KernelSoak.Series;
using KernelSoak.Soak;
using KernelSoak.Steps;

namespace KernelSoak.Tests.Probes;

/// <summary>
/// A board and build host that do nothing but keep score: each step records that it ran, throws what
/// <see cref="Failures"/> queues for it, and a harvest step keeps the outcome <see cref="Harvest"/> gives its probe.
/// </summary>
public sealed class ScriptedProbe : IProbeParts
{
    public List<string> Ran { get; } = [];
    /// <summary>By step id: what its next runs throw, one exception a run (made when the step runs).</summary>
    public Dictionary<string, Queue<Func<Exception>>> Failures { get; } = [];
    public Func<string, ProbeOutcome> Harvest { get; set; } = _ => Outcome(Verdicts.Clean);
    public List<string> InfraNotes { get; } = [];
    public List<(string Probe, ProbeWindow? Window)> Probes { get; } = [];
    private readonly Dictionary<string, ProbeOutcome> _harvested = [];
    private readonly HashSet<string> _finished = [];

    public static ProbeOutcome Outcome(string verdict, params string[] titles) =>
        new(verdict, [.. titles.Select(t => new ReportSummary("KASAN", t, null, "dmesg", 1, t, t))], [], [], [], null, 60)
        { StressSeconds = 60, Timeline = [.. titles.Select(t => new TimedReport(t, 12))] };

    public void FailOnce(string step, Exception e) => FailOnce(step, () => e);

    public void FailOnce(string step, Func<Exception> make) =>
        (Failures.TryGetValue(step, out var q) ? q : Failures[step] = new Queue<Func<Exception>>()).Enqueue(make);

    private Step Do(string id, Action? then = null) => new(id, id, "inputs", [$"do {id}"], _ =>
    {
        Ran.Add(id);
        if (Failures.TryGetValue(id, out var q) && q.Count > 0) throw q.Dequeue()();
        then?.Invoke();
        return Task.FromResult(StepResult.Ok());
    });

    public IEnumerable<Step> ApplyAndBuild(PatchRef patch) => [Do($"bisect/{patch.Id}/apply"), Do($"bisect/{patch.Id}/build")];
    public IEnumerable<Step> Install(string prefix) => [Do($"{prefix}/image")];
    public IEnumerable<Step> PrebuildAfter(int index, ProbeNext? next) => [];

    public IEnumerable<Step> Probe(string probe, IReadOnlySet<string> preExisting, ProbeWindow? window)
    {
        Probes.Add((probe, window));
        return [Do($"{probe}/boot"), Do($"{probe}/stress"), Do($"{probe}/harvest", () => { _harvested[probe] = Harvest(probe); _finished.Add(probe); })];
    }

    /// <summary>A verdict on disk from a harvest that never ended (the host killed while it finished up).</summary>
    public void HarvestedUnfinished(string probe, ProbeOutcome outcome) => _harvested[probe] = outcome;

    public ProbeOutcome? Harvested(string probe) => _harvested.GetValueOrDefault(probe);
    public bool Finished(string probe) => _finished.Contains(probe);
    public string ProbeDir(string probe) => "/artifacts/" + probe;
    public void NoteInfraError(PatchRef patch, Exception e) => InfraNotes.Add($"{patch.Id}: {e.Message}");
}

/// <summary>The points' records, in memory.</summary>
public sealed class MemoryPoints : IPointStore
{
    public Dictionary<string, PointRecord> Records { get; } = [];
    public string Dir => "/artifacts/bisect";
    public PointRecord? Record(PatchRef patch) => Records.GetValueOrDefault(patch.Id);
    public string PathOf(PatchRef patch) => $"{Dir}/{patch.Id}/verdict.json";
    public void Save(PatchRef patch, string verdict, string note, IReadOnlyList<ProbeRun> runs) =>
        Records[patch.Id] = new PointRecord(patch.Id, "key", verdict, note, runs);
}
