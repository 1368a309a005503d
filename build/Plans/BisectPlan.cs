using System.Text.Json;
using KernelSoak.Campaigns;
using KernelSoak.Journal;
using KernelSoak.Kernel;
using KernelSoak.Series;
using KernelSoak.Soak;
using KernelSoak.Steps;
using KernelSoak.Frosting;

namespace KernelSoak.Build.Plans;

/// <summary>One probe of the series: apply the patch on top of the previous ones, rebuild, install, boot, stress, harvest, verdict.</summary>
public static class BisectPlan
{
    public static string ApplyStep(PatchRef patch) => $"bisect/{patch.Id}/apply";

    /// <summary>
    /// The steps of one probe. Sequential mode (<paramref name="next"/> null): the campaign's attempts, each
    /// its own boot, then the point's verdict. Binary mode: one probe of the length the search sized, added to
    /// the point's record.
    /// </summary>
    public static IEnumerable<Step> Steps(BuildContext c, PatchRef patch, ProbeNext? next = null)
    {
        var prefix = $"bisect/{patch.Id}";
        var series = c.Campaign.Series;
        var index = series.Patches.IndexOf(patch);
        var hunt = HuntRule.Parse(series.Hunt);
        var earlierBad = series.Patches.Take(index).Select(p => (p, r: Record(c, p))).FirstOrDefault(x => PointRecords.Evidence(x.r, hunt).Bad);
        if (next is null && series.Mode == SearchMode.Sequential && series.StopAtFirstBad && earlierBad.p is not null)
        {
            c.Output.Warn($"{patch.Id} not probed: {earlierBad.p.Id} was already {earlierBad.r!.Verdict} and series.stop_at_first_bad is on");
            yield break;
        }
        var applyInputs = ApplyInputs(c, index);
        var known = Record(c, patch);
        if (next is null && known is not null)
        {
            c.Output.Info($"{patch.Id}: verdict {known.Verdict} already recorded for the same patches and kernel inputs; nothing to redo ({PointRecords.PathOf(BisectDir(c), patch.Id)})");
            yield break;
        }
        foreach (var step in BuildSteps(c, patch, applyInputs)) yield return step;
        var board = ProbeSteps.For(c);
        foreach (var step in board.Install(c, $"{prefix}/install")) yield return step;
        foreach (var step in PrebuildPlan.After(c, index, next)) yield return step;
        var preExisting = Baseline(c);
        if (next is not null)
        {
            var number = (known?.Probes.Count ?? 0) + 1;
            var probe = $"{prefix}/probe-{number}";
            var window = new ProbeWindow(next.Seconds, hunt.Steers);
            foreach (var step in board.Probe(c, probe, preExisting, window)) yield return step;
            yield return RecordStep(c, patch, number, probe, next);
            yield break;
        }
        for (var attempt = 1; attempt <= series.Attempts; attempt++)
        {
            var probe = series.Attempts == 1 ? prefix : $"{prefix}/attempt-{attempt}";
            foreach (var step in board.Probe(c, probe, preExisting)) yield return step;
        }
        yield return new Step($"{prefix}/verdict", $"verdict for {patch.Id}: report / wedge / clean, and the campaign's exit rule", "",
            [$"write {Path.Combine(c.ArtifactsDir, "bisect", "summary.md")}, results.json, junit.xml"],
            ct => Task.FromResult(Verdict(c, patch))) { AlwaysRun = true };
    }

    /// <summary>The series up to <paramref name="patch"/> applied to the work branch, and its kernel built.</summary>
    public static IEnumerable<Step> BuildSteps(BuildContext c, PatchRef patch, string? applyInputs = null)
    {
        var series = c.Campaign.Series;
        var index = series.Patches.IndexOf(patch);
        var dir = c.CampaignPath(series.Dir);
        var file = TryResolve(dir, patch);
        yield return new Step(ApplyStep(patch), $"git am {patch.Id} on {c.Kernel.Branch} (on top of {(index == 0 ? "the base" : series.Patches[index - 1].Id)})",
            applyInputs ?? ApplyInputs(c, index),
            [.. series.Mode == SearchMode.Binary ? Underneath(c, index, dir) : [],
             .. new PatchSeries(c.Kernel, c.Commands).AnnounceApply(PatchFile(dir, patch), patch.Id,
                $"<commit after {(index == 0 ? "the base" : series.Patches[index - 1].Id)}>")],
            ct => ApplyAsync(c, patch, index, dir, ct)) { AlwaysRun = true };
        foreach (var step in KernelPlan.Compile(c, $"bisect/{patch.Id}")) yield return step;
    }

    /// <summary>A search jumps over patches; each one underneath not applied yet is applied first, in order.</summary>
    private static IEnumerable<string> Underneath(BuildContext c, int index, string dir) =>
        c.Campaign.Series.Patches.Take(index).SelectMany(p => new PatchSeries(c.Kernel, c.Commands).AnnounceApply(
            PatchFile(dir, p), p.Id, $"<commit under {p.Id}>").Select(line => $"{line}   # {p.Id} underneath, when not applied yet"));

    /// <summary>Binary mode: probe <paramref name="number"/> of <paramref name="patch"/>, harvested into <paramref name="probe"/>, joins the point's record.</summary>
    public static Step RecordStep(BuildContext c, PatchRef patch, int number, string probe, ProbeNext next) =>
        new($"{probe}/record", $"add probe {number} of {patch.Id} ({next.Purpose}, {next.Seconds:0} s) to its record; the search decides the next probe", "",
            [$"write {PointRecords.PathOf(BisectDir(c), patch.Id)}"],
            ct => Task.FromResult(AddProbe(c, patch, number, probe, next.Seconds))) { AlwaysRun = true };

    /// <summary>The base tree's head and every patch up to <paramref name="index"/>: what "applied" depends on.</summary>
    private static string ApplyInputs(BuildContext c, int index)
    {
        var dir = c.CampaignPath(c.Campaign.Series.Dir);
        var patchesHash = Fingerprint.Of([.. c.Campaign.Series.Patches.Take(index + 1).Select(p => TryResolve(dir, p) is { } f && File.Exists(f) ? Fingerprint.OfFile(f) : p.Id)]);
        return Fingerprint.Of(c.Journal.LastEnd("kernel/source")?.Outputs?.GetValueOrDefault("head") ?? "", patchesHash);
    }

    /// <summary>The patch's file, or the pattern it is looked for by when there is none yet (a dry run).</summary>
    public static string PatchFile(string dir, PatchRef patch) => TryResolve(dir, patch) ?? Path.Combine(dir, patch.Id + "*.patch");

    private static string? TryResolve(string dir, PatchRef patch)
    {
        try { return PatchSeries.Resolve(dir, patch); } catch (PatchApplyException) { return null; }
    }

    /// <summary>
    /// The work branch must hold exactly base + patches 1..N: reset to the commit recorded for N-1 (or the
    /// base), then apply N — or, when N was applied before, reset straight to its recorded commit.
    /// </summary>
    private static async Task<StepResult> ApplyAsync(BuildContext c, PatchRef patch, int index, string dir, CancellationToken ct)
    {
        // The foreground needs the host now: a prebuild still running gives way (what it compiled stays in ccache).
        c.Prebuild.Stop(c, $"{patch.Id} is being applied for its own build");
        var series = new PatchSeries(c.Kernel, c.Commands);
        string previous;
        try
        {
            previous = index == 0 ? await series.BaseAsync(ct) : await AppliedCommitAsync(c, index - 1, dir, ct);
        }
        catch (UserErrorException e) when (e.InnerException is PatchApplyException)
        {
            // Nothing above a patch that does not apply can be built: untestable, never bad.
            RecordVerdict(c, patch, Verdicts.ApplyFailed, [], $"a patch underneath does not apply: {e.Message}");
            throw;
        }
        var file = PatchSeries.Resolve(dir, patch);
        var recorded = c.Journal.LastEnd(ApplyStep(patch));
        if (recorded is { Outcome: Outcomes.Ok } && recorded.Outputs?.GetValueOrDefault("on") == previous && recorded.Outputs?.GetValueOrDefault("patch") == Fingerprint.OfFile(file))
        {
            await series.ResetAsync(recorded.Outputs!["commit"], ct);
            c.Output.Info($"{patch.Id} already applied: work branch at {recorded.Outputs["commit"][..12]}");
            return StepResult.Ok(recorded.Outputs);
        }
        await series.ResetAsync(previous, ct);
        try
        {
            var commit = await series.ApplyAsync(file, patch.Id, ct);
            c.Output.Info($"applied {patch.Id}: {Path.GetFileName(file)} → {commit[..12]}");
            return StepResult.Ok(new Dictionary<string, string> { ["commit"] = commit, ["on"] = previous, ["patch"] = Fingerprint.OfFile(file) });
        }
        catch (PatchApplyException e) when (!ct.IsCancellationRequested) // git am killed by Ctrl+C is no verdict
        {
            RecordVerdict(c, patch, Verdicts.ApplyFailed, [], e.Message);
            throw new UserErrorException(e.Message, e);
        }
    }

    /// <summary>
    /// The commit holding base + patches 0..index: the one recorded when it was applied with the same
    /// inputs, else applied now (journalled like a probe's apply step). A binary search jumps over patches
    /// it never probes; they are still applied, in order, underneath.
    /// </summary>
    private static async Task<string> AppliedCommitAsync(BuildContext c, int index, string dir, CancellationToken ct)
    {
        if (RecordedCommit(c, index) is { } commit) return commit;
        var patch = c.Campaign.Series.Patches[index];
        var inputs = ApplyInputs(c, index);
        c.Journal.Begin(ApplyStep(patch), inputs);
        var result = await ApplyAsync(c, patch, index, dir, ct);
        c.Journal.Complete(ApplyStep(patch), inputs, result.Outcome, result.Outputs, result.Note);
        return result.Outputs["commit"];
    }

    /// <summary>The highest point at or below <paramref name="index"/> whose applied commit is recorded with today's inputs, and that commit; (null, −1): the base.</summary>
    public static (string? Commit, int Index) NearestApplied(BuildContext c, int index)
    {
        for (var i = index; i >= 0; i--)
            if (RecordedCommit(c, i) is { } commit) return (commit, i);
        return (null, -1);
    }

    /// <summary>The commit the apply step of point <paramref name="index"/> recorded with today's inputs; null when it has none.</summary>
    private static string? RecordedCommit(BuildContext c, int index) =>
        c.Journal.LastEnd(ApplyStep(c.Campaign.Series.Patches[index])) is { Outcome: Outcomes.Ok } done && done.Fingerprint == ApplyInputs(c, index)
            ? done.Outputs?.GetValueOrDefault("commit") : null;

    /// <summary>
    /// Records build-failed for a patch whose kernel does not build (the series continues or the search skips it),
    /// and gives the run's error for it: the patch's verdict, not a crash of the run.
    /// </summary>
    public static UserErrorException BuildFailed(BuildContext c, PatchRef patch, KernelBuildException e)
    {
        RecordVerdict(c, patch, Verdicts.BuildFailed, [], e.Message.Split('\n')[0]);
        return new UserErrorException($"patch {patch.Id}: verdict build-failed. {e.Message}", e);
    }

    /// <summary>Journals an infra failure in a probe of <paramref name="patch"/>: the lab's fault, not the patch's, and never a verdict.</summary>
    public static void NoteInfraError(BuildContext c, string patch, Exception e) =>
        c.Journal.Note($"bisect/{patch}", NoteKind.InfraError, new Dictionary<string, string> { ["error"] = e.Message });

    private static StepResult Verdict(BuildContext c, PatchRef patch)
    {
        var series = c.Campaign.Series;
        var duration = InitialProbeSeconds(c);
        var runs = Enumerable.Range(1, series.Attempts)
            .Select(a => (a, prefix: series.Attempts == 1 ? $"bisect/{patch.Id}" : $"bisect/{patch.Id}/attempt-{a}"))
            .Select(x => (x.a, x.prefix, outcome: HarvestPlan.Verdict(c, x.prefix)))
            .Where(x => x.outcome is not null)
            .Select(x => Run(c, x.a, x.prefix, x.outcome!, duration)).ToList();
        var (verdict, note, _) = PointVerdict.OfAttempts(patch.Id, runs, series.Attempts, series.MissProbability);
        Save(c, patch, verdict, note, runs);
        var (outcome, action) = Soak.ExitRules.Apply(c.Campaign.ExitRule, VerdictWords.Parse(verdict));
        c.Output.Info($"verdict {patch.Id}: {verdict} — {note}; {outcome}: {action}");
        return StepResult.Ok(new Dictionary<string, string> { ["verdict"] = verdict });
    }

    /// <summary>Binary mode: the probe just harvested joins the point's record; the point's verdict is bad as soon as one probe is.</summary>
    private static StepResult AddProbe(BuildContext c, PatchRef patch, int number, string prefix, double seconds)
    {
        var outcome = HarvestPlan.Verdict(c, prefix) ?? throw new InvalidOperationException($"probe {number} of {patch.Id} was harvested without a verdict: re-run to resume it");
        var runs = (Record(c, patch)?.Probes ?? []).Where(p => p.Number != number).Append(Run(c, number, prefix, outcome, seconds)).ToList();
        var (verdict, note, _) = PointVerdict.OfProbes(patch.Id, runs, c.Campaign.Series.MissProbability);
        Save(c, patch, verdict, note, runs);
        c.Output.Info($"probe {number} of {patch.Id}: {outcome.Verdict} after {outcome.StressSeconds:0} s of stress{PointVerdict.FirstReportAt(runs[^1])}; {patch.Id} so far: {verdict} — {note}");
        return StepResult.Ok(new Dictionary<string, string> { ["verdict"] = verdict });
    }

    private static ProbeRun Run(BuildContext c, int number, string prefix, ProbeOutcome o, double requested) =>
        new(number, o.Verdict, requested, o.StressSeconds, o.Reports, o.Timeline, StressPlan.ProbeDir(c, prefix), o.Note);

    private static void RecordVerdict(BuildContext c, PatchRef patch, string verdict, IReadOnlyList<ReportSummary> reports, string note)
    {
        var runs = reports.Count == 0 ? [] : new List<ProbeRun> { new(1, verdict, 0, 0, reports, [], Path.Combine(BisectDir(c), patch.Id), note) };
        Save(c, patch, verdict, note, runs);
    }

    private static void Save(BuildContext c, PatchRef patch, string verdict, string note, IReadOnlyList<ProbeRun> runs)
    {
        PointRecords.Save(BisectDir(c), new PointRecord(patch.Id, PointKey(c, patch), verdict, note, runs));
        SeriesResults.Write(c, null);
    }

    public static string BisectDir(BuildContext c) => Path.Combine(c.ArtifactsDir, "bisect");

    /// <summary>What a point's record is valid for: the base, the bytes of every patch up to it, the kernel inputs.</summary>
    public static string PointKey(BuildContext c, PatchRef patch)
    {
        var series = c.Campaign.Series;
        var dir = c.CampaignPath(series.Dir);
        var hashes = series.Patches.Take(series.Patches.IndexOf(patch) + 1)
            .Select(p => TryResolve(dir, p) is { } f && File.Exists(f) ? Fingerprint.OfFile(f) : $"missing:{p.Id}");
        var kernel = Fingerprint.Of(JsonSerializer.Serialize(c.Campaign.Kernel), JsonSerializer.Serialize(c.Campaign.Config));
        return PointRecords.Key(c.Journal.LastEnd("kernel/source")?.Outputs?.GetValueOrDefault("head") ?? "", hashes, kernel);
    }

    /// <summary>The point's record when it was made from these very patches and kernel inputs; null otherwise (a replaced patch is probed anew).</summary>
    public static PointRecord? Record(BuildContext c, PatchRef patch) => PointRecords.Load(BisectDir(c), patch.Id, PointKey(c, patch));

    /// <summary>The campaign's stress window: the longest enabled command workload (they run side by side).</summary>
    public static double InitialProbeSeconds(BuildContext c) =>
        c.Campaign.Stress.Where(s => s.Enabled && s.Kind == StressKind.Commands).Select(s => (double)s.DurationS).DefaultIfEmpty(60).Max();

    /// <summary>The search's settings from the campaign's series.*.</summary>
    public static SearchPolicy Policy(BuildContext c)
    {
        var s = c.Campaign.Series;
        return new SearchPolicy(s.MissProbability, s.MaxProbeS, InitialProbeSeconds(c), s.AssumedIntervalS > 0 ? s.AssumedIntervalS : null, s.SoakBadEnd);
    }

    /// <summary>The unpatched kernel's report titles: pre-existing, never a patch's fault.</summary>
    public static IReadOnlySet<string> Baseline(BuildContext c) =>
        HarvestPlan.Verdict(c, "baseline")?.Reports.Select(r => r.Title).ToHashSet() ?? new HashSet<string>();

    /// <summary>
    /// The unpatched kernel is probed once: after that the campaign's tree holds patches, so a re-run must
    /// not stress "the baseline" again (it would be a patched kernel and poison the pre-existing list).
    /// </summary>
    public static IEnumerable<Step> BaselineSteps(BuildContext c)
    {
        var board = ProbeSteps.For(c);
        if (HarvestPlan.Verdict(c, "baseline") is { } known && c.Journal.LastEnd(board.LastStep("baseline")) is { Outcome: Outcomes.Ok })
        {
            c.Output.Info($"baseline: already probed ({known.Verdict}{(known.Reports.Count > 0 ? $": {string.Join("; ", known.Reports.Select(r => r.Title))}" : "")}); nothing to redo");
            yield break;
        }
        foreach (var step in PrebuildPlan.After(c, -1)) yield return step;
        foreach (var step in board.Probe(c, "baseline")) yield return step;
    }
}
