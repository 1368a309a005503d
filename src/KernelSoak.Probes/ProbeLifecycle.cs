using KernelSoak.Campaigns;
using KernelSoak.Kernel;
using KernelSoak.Series;
using KernelSoak.Soak;
using KernelSoak.Steps;

namespace KernelSoak.Probes;

/// <summary>
/// One point of a patch series, probed: apply → build → install → (prebuild) → boot → stress → harvest → verdict.
/// It decides which steps a probe has (none when the point is already judged or an earlier one was bad and the
/// walk stops there; the campaign's attempts in a walk; one sized probe in a search), what a failure means (a
/// patch that does not apply or a kernel that does not build: the point is untestable; the lab's trouble:
/// retried, never a verdict) and the point's verdict from its probes. The steps themselves come from
/// <see cref="IProbeParts"/>; the records go to <see cref="IPointStore"/>.
/// </summary>
public sealed class ProbeLifecycle(SeriesSpec series, IReadOnlyList<ExitRule> exitRules, double initialProbeSeconds,
    IProbeParts parts, IPointStore points, IStepLog log)
{
    public static string Prefix(PatchRef patch) => $"bisect/{patch.Id}";

    /// <summary>Where probe <paramref name="number"/> of a search is harvested.</summary>
    public static string SearchProbe(string patch, int number) => $"bisect/{patch}/probe-{number}";

    /// <summary>Where a walk's attempt is harvested: the point's own directory when the campaign makes one attempt.</summary>
    public string AttemptProbe(PatchRef patch, int attempt) => series.Attempts == 1 ? Prefix(patch) : $"{Prefix(patch)}/attempt-{attempt}";

    /// <summary>
    /// The steps of one probe. A walk (<paramref name="next"/> null): the campaign's attempts, each its own boot,
    /// then the point's verdict. A search: one probe of the length the search sized, added to the point's record.
    /// </summary>
    public IEnumerable<Step> Steps(PatchRef patch, IReadOnlySet<string> preExisting, ProbeNext? next = null)
    {
        var index = series.Patches.IndexOf(patch);
        if (index < 0) throw new ArgumentException($"{patch.Id} is not a patch of the series", nameof(patch));
        var hunt = HuntRule.Parse(series.Hunt);
        if (next is null && series.Mode == SearchMode.Sequential && series.StopAtFirstBad
            && series.Patches.Take(index).Select(p => (p, r: points.Record(p))).FirstOrDefault(x => PointRecords.Evidence(x.r, hunt).Bad) is { p: not null } earlier)
        {
            log.Warn($"{patch.Id} not probed: {earlier.p.Id} was already {earlier.r!.Verdict} and series.stop_at_first_bad is on");
            yield break;
        }
        var known = points.Record(patch);
        if (next is null && known is not null)
        {
            log.Info($"{patch.Id}: verdict {known.Verdict} already recorded for the same patches and kernel inputs; nothing to redo ({points.PathOf(patch)})");
            yield break;
        }
        foreach (var step in parts.ApplyAndBuild(patch)) yield return step;
        foreach (var step in parts.Install($"{Prefix(patch)}/install")) yield return step;
        foreach (var step in parts.PrebuildAfter(index, next)) yield return step;
        if (next is not null)
        {
            var number = (known?.Probes.Count ?? 0) + 1;
            var probe = SearchProbe(patch.Id, number);
            foreach (var step in parts.Probe(probe, preExisting, new ProbeWindow(next.Seconds, hunt.Steers))) yield return step;
            yield return RecordStep(patch, number, probe, next);
            yield break;
        }
        for (var attempt = 1; attempt <= series.Attempts; attempt++)
            foreach (var step in parts.Probe(AttemptProbe(patch, attempt), preExisting, null)) yield return step;
        yield return new Step($"{Prefix(patch)}/verdict", $"verdict for {patch.Id}: report / wedge / clean, and the campaign's exit rule", "",
            [$"write {Path.Combine(points.Dir, "summary.md")}, results.json, junit.xml"],
            _ => Task.FromResult(Verdict(patch))) { AlwaysRun = true };
    }

    /// <summary>
    /// The unpatched kernel is probed once: after that the campaign's tree holds patches, so a re-run must not
    /// stress "the baseline" again (it would be a patched kernel and poison the pre-existing list).
    /// </summary>
    public IEnumerable<Step> BaselineSteps()
    {
        if (parts.Harvested(BaselineProbe) is { } known && parts.Finished(BaselineProbe))
        {
            log.Info($"baseline: already probed ({known.Verdict}{(known.Reports.Count > 0 ? $": {string.Join("; ", known.Reports.Select(r => r.Title))}" : "")}); nothing to redo");
            yield break;
        }
        foreach (var step in parts.PrebuildAfter(-1, null)) yield return step;
        foreach (var step in parts.Probe(BaselineProbe, new HashSet<string>(), null)) yield return step;
    }

    public const string BaselineProbe = "baseline";

    /// <summary>
    /// Runs one probe's steps through <paramref name="run"/>. The lab's trouble (<paramref name="isInfra"/>) is
    /// journalled and the probe tried again up to series.infra_retries, resuming at the step that failed;
    /// <paramref name="onRetry"/> drops what the trouble may have broken (the board's session). A patch that does not
    /// apply or a kernel that does not build is the point's verdict: recorded, then a <see cref="ProbeStoppedException"/>.
    /// </summary>
    public async Task RunAsync(PatchRef patch, IReadOnlySet<string> preExisting, ProbeNext? next, Func<IEnumerable<Step>, Task> run,
        Func<Exception, bool> isInfra, Action onRetry, CancellationToken cancellation)
    {
        try
        {
            await ProbeAttempts.RunAsync(() => run(Steps(patch, preExisting, next)), series.InfraRetries, isInfra, (e, attempt, retry) =>
            {
                parts.NoteInfraError(patch, e);
                if (!retry) return;
                log.Warn($"infra-error in the probe of {patch.Id} ({e.Message}): not the patch's fault; retrying the probe ({attempt}/{series.InfraRetries})");
                onRetry();
            }, cancellation);
        }
        catch (InfraRetriesExhaustedException e)
        {
            throw new ProbeStoppedException(ProbeStop.InfraError, $"patch {patch.Id}: infra-error, not a verdict ({e.InnerException!.Message}). " +
                $"The probe was tried {e.Attempts} time(s); fix the setup and re-run the same command: finished steps are kept.", e.InnerException);
        }
        catch (Exception e) when (UntestableVerdict(e, cancellation) is not null)
        {
            throw RecordUntestable(patch, e);
        }
    }

    /// <summary>
    /// The verdict a failure gives its point when it makes the point untestable: the patch (or one underneath) does
    /// not apply, or its kernel does not build. Null for anything else, and for a command the user's Ctrl+C killed.
    /// </summary>
    public static string? UntestableVerdict(Exception e, CancellationToken cancellation) => cancellation.IsCancellationRequested ? null : e switch
    {
        PatchApplyException => Verdicts.ApplyFailed,
        KernelBuildException => Verdicts.BuildFailed,
        _ => null,
    };

    /// <summary>Records the point untestable for <paramref name="e"/> (one <see cref="UntestableVerdict"/> names) and gives the probe's end.</summary>
    public ProbeStoppedException RecordUntestable(PatchRef patch, Exception e)
    {
        var verdict = UntestableVerdict(e, CancellationToken.None) ?? throw new ArgumentException($"{e.GetType().Name} is no untestable point", nameof(e));
        if (verdict == Verdicts.ApplyFailed)
        {
            Save(patch, verdict, e.Message, []);
            return new ProbeStoppedException(ProbeStop.ApplyFailed, e.Message, e);
        }
        Save(patch, verdict, e.Message.Split('\n')[0], []);
        return new ProbeStoppedException(ProbeStop.BuildFailed, $"patch {patch.Id}: verdict build-failed. {e.Message}", e);
    }

    /// <summary>A search's probe <paramref name="number"/> of <paramref name="patch"/>, harvested into <paramref name="probe"/>, joins the point's record.</summary>
    public Step RecordStep(PatchRef patch, int number, string probe, ProbeNext next) =>
        new($"{probe}/record", $"add probe {number} of {patch.Id} ({next.Purpose}, {next.Seconds:0} s) to its record; the search decides the next probe", "",
            [$"write {points.PathOf(patch)}"],
            _ => Task.FromResult(AddProbe(patch, number, probe, next.Seconds))) { AlwaysRun = true };

    /// <summary>A walk's point: the verdict of its attempts and what the campaign's exit rule makes of it.</summary>
    private StepResult Verdict(PatchRef patch)
    {
        var runs = Enumerable.Range(1, series.Attempts)
            .Select(a => (a, probe: AttemptProbe(patch, a)))
            .Select(x => (x.a, x.probe, outcome: parts.Harvested(x.probe)))
            .Where(x => x.outcome is not null)
            .Select(x => Run(x.a, x.probe, x.outcome!, initialProbeSeconds)).ToList();
        var (verdict, note, _) = PointVerdict.OfAttempts(patch.Id, runs, series.Attempts, series.MissProbability);
        Save(patch, verdict, note, runs);
        var (outcome, action) = ExitRules.Apply(exitRules, VerdictWords.Parse(verdict));
        log.Info($"verdict {patch.Id}: {verdict} — {note}; {outcome}: {action}");
        return StepResult.Ok(new Dictionary<string, string> { ["verdict"] = verdict });
    }

    /// <summary>A search's point: the probe just harvested joins its record; the point is bad as soon as one probe is.</summary>
    private StepResult AddProbe(PatchRef patch, int number, string probe, double seconds)
    {
        var outcome = parts.Harvested(probe) ?? throw new InvalidOperationException($"probe {number} of {patch.Id} was harvested without a verdict: re-run to resume it");
        var runs = (points.Record(patch)?.Probes ?? []).Where(p => p.Number != number).Append(Run(number, probe, outcome, seconds)).ToList();
        var (verdict, note, _) = PointVerdict.OfProbes(patch.Id, runs, series.MissProbability);
        Save(patch, verdict, note, runs);
        log.Info($"probe {number} of {patch.Id}: {outcome.Verdict} after {outcome.StressSeconds:0} s of stress{PointVerdict.FirstReportAt(runs[^1])}; {patch.Id} so far: {verdict} — {note}");
        return StepResult.Ok(new Dictionary<string, string> { ["verdict"] = verdict });
    }

    private ProbeRun Run(int number, string probe, ProbeOutcome o, double requested) =>
        new(number, o.Verdict, requested, o.StressSeconds, o.Reports, o.Timeline, parts.ProbeDir(probe), o.Note);

    private void Save(PatchRef patch, string verdict, string note, IReadOnlyList<ProbeRun> runs) => points.Save(patch, verdict, note, runs);
}

public enum ProbeStop { ApplyFailed, BuildFailed, InfraError }

/// <summary>The probe ended without a verdict of its own: the point is untestable (recorded), or the lab failed it past its retries.</summary>
public sealed class ProbeStoppedException(ProbeStop why, string message, Exception? inner) : Exception(message, inner)
{
    public ProbeStop Why { get; } = why;
}
