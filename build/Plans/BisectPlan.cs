using System.Text.Json;
using KernelSoak.Campaigns;
using KernelSoak.Journal;
using KernelSoak.Kernel;
using KernelSoak.Soak;
using KernelSoak.Steps;

namespace KernelSoak.Build.Plans;

/// <summary>One probe of the series: apply the patch on top of the previous ones, rebuild, install, boot, stress, harvest, verdict.</summary>
public static class BisectPlan
{
    public static string ApplyStep(PatchRef patch) => $"bisect/{patch.Id}/apply";

    public static IEnumerable<Step> Steps(BuildContext c, PatchRef patch)
    {
        var prefix = $"bisect/{patch.Id}";
        var series = c.Campaign.Series;
        var index = series.Patches.IndexOf(patch);
        var dir = c.CampaignPath(series.Dir);
        var file = TryResolve(dir, patch);
        var earlierBad = series.Patches.Take(index).Select(p => (p, v: PatchVerdict(c, p))).FirstOrDefault(x => x.v is not (null or Verdicts.Clean));
        if (series.Mode == SearchMode.Sequential && series.StopAtFirstBad && earlierBad.p is not null)
        {
            c.Output.Warn($"{patch.Id} not probed: {earlierBad.p.Id} was already {earlierBad.v} and series.stop_at_first_bad is on");
            yield break;
        }
        var applyInputs = ApplyInputs(c, index);
        if (PatchVerdict(c, patch) is { } known && c.Journal.LastEnd(ApplyStep(patch)) is { Outcome: Outcomes.Ok } applied && applied.Fingerprint == applyInputs
            && c.Journal.IsDone($"{prefix}/verdict", ""))
        {
            c.Output.Info($"{patch.Id}: verdict {known} already recorded with the same patches; nothing to redo ({Path.Combine(c.ArtifactsDir, "bisect", patch.Id, "verdict.json")})");
            yield break;
        }
        yield return new Step(ApplyStep(patch), $"git am {patch.Id} on {c.Kernel.Branch} (on top of {(index == 0 ? "the base" : series.Patches[index - 1].Id)})",
            applyInputs,
            [$"git -C {c.Kernel.SourceDir} reset --hard <commit after {(index == 0 ? "base" : series.Patches[index - 1].Id)}>", $"git -C {c.Kernel.SourceDir} am --3way {file ?? Path.Combine(dir, patch.Id + "*.patch")}"],
            ct => ApplyAsync(c, patch, index, dir, ct)) { AlwaysRun = true };

        foreach (var step in KernelPlan.Compile(c, prefix)) yield return step;
        foreach (var step in InstallPlan.Steps(c, $"{prefix}/install")) yield return step;
        var preExisting = Baseline(c);
        for (var attempt = 1; attempt <= series.Attempts; attempt++)
        {
            var probe = series.Attempts == 1 ? prefix : $"{prefix}/attempt-{attempt}";
            foreach (var step in BootPlan.Steps(c, probe)) yield return step;
            foreach (var step in StressPlan.Steps(c, probe, preExisting)) yield return step;
            foreach (var step in HarvestPlan.Steps(c, probe)) yield return step;
        }
        yield return new Step($"{prefix}/verdict", $"verdict for {patch.Id}: report / wedge / clean, and the campaign's exit rule", "",
            [$"write {Path.Combine(c.ArtifactsDir, "bisect", "summary.md")}, results.json, junit.xml"],
            ct => Task.FromResult(Verdict(c, patch))) { AlwaysRun = true };
    }

    /// <summary>The base tree's head and every patch up to <paramref name="index"/>: what "applied" depends on.</summary>
    private static string ApplyInputs(BuildContext c, int index)
    {
        var dir = c.CampaignPath(c.Campaign.Series.Dir);
        var patchesHash = Fingerprint.Of([.. c.Campaign.Series.Patches.Take(index + 1).Select(p => TryResolve(dir, p) is { } f && File.Exists(f) ? Fingerprint.OfFile(f) : p.Id)]);
        return Fingerprint.Of(c.Journal.LastEnd("kernel/source")?.Outputs?.GetValueOrDefault("head") ?? "", patchesHash);
    }

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
        var series = new PatchSeries(c.Kernel, c.Commands);
        var previous = index == 0 ? await series.BaseAsync(ct) : await AppliedCommitAsync(c, index - 1, dir, ct);
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
        catch (PatchApplyException e)
        {
            RecordVerdict(c, patch, Verdicts.ApplyFailed, [], e.Message);
            throw new Cake.Frosting.UserErrorException(e.Message, e);
        }
    }

    /// <summary>
    /// The commit holding base + patches 0..index: the one recorded when it was applied with the same
    /// inputs, else applied now (journalled like a probe's apply step). A binary search jumps over patches
    /// it never probes; they are still applied, in order, underneath.
    /// </summary>
    private static async Task<string> AppliedCommitAsync(BuildContext c, int index, string dir, CancellationToken ct)
    {
        var patch = c.Campaign.Series.Patches[index];
        var inputs = ApplyInputs(c, index);
        if (c.Journal.LastEnd(ApplyStep(patch)) is { Outcome: Outcomes.Ok } done && done.Fingerprint == inputs && done.Outputs?.GetValueOrDefault("commit") is { } commit)
            return commit;
        c.Journal.Begin(ApplyStep(patch), inputs);
        var result = await ApplyAsync(c, patch, index, dir, ct);
        c.Journal.Complete(ApplyStep(patch), inputs, result.Outcome, result.Outputs, result.Note);
        return result.Outputs["commit"];
    }

    /// <summary>Records build-failed for a patch whose kernel does not build (the series continues or the search skips it).</summary>
    public static void RecordBuildFailure(BuildContext c, PatchRef patch, Exception e) =>
        RecordVerdict(c, patch, Verdicts.BuildFailed, [], e.Message.Split('\n')[0]);

    private static StepResult Verdict(BuildContext c, PatchRef patch)
    {
        var series = c.Campaign.Series;
        var probes = Enumerable.Range(1, series.Attempts)
            .Select(a => HarvestPlan.Verdict(c, series.Attempts == 1 ? $"bisect/{patch.Id}" : $"bisect/{patch.Id}/attempt-{a}")).ToList();
        var done = probes.Where(p => p is not null).Select(p => p!).ToList();
        var bad = done.FirstOrDefault(p => p.Verdict != Verdicts.Clean);
        var verdict = bad?.Verdict ?? (done.Count == series.Attempts ? Verdicts.Clean : Verdicts.InfraError);
        var confidence = bad is null ? $"{patch.Id} passed {done.Count}/{series.Attempts} × {c.Campaign.Stress.Where(s => s.Enabled).Sum(s => s.DurationS)} s"
            : $"bad at {patch.Id} ({bad.Reports.FirstOrDefault()?.Title ?? bad.Note ?? bad.Verdict})";
        RecordVerdict(c, patch, verdict, bad?.Reports ?? [], confidence);
        var (outcome, action) = Tasks.ExitRules.Apply(c.Campaign, verdict);
        c.Output.Info($"verdict {patch.Id}: {verdict} — {confidence}; {outcome}: {action}");
        return StepResult.Ok(new Dictionary<string, string> { ["verdict"] = verdict });
    }

    private static void RecordVerdict(BuildContext c, PatchRef patch, string verdict, IReadOnlyList<ReportSummary> reports, string note)
    {
        var dir = Path.Combine(c.ArtifactsDir, "bisect", patch.Id);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "verdict.json"), JsonSerializer.Serialize(new { patch = patch.Id, verdict, note, reports, at = DateTimeOffset.UtcNow }, StressPlan.Json));
        var records = c.Campaign.Series.Patches.Select(p => (p, v: PatchVerdict(c, p))).Where(x => x.v is not null)
            .Select(x => new ProbeRecord(x.p.Id, 1, x.v!, ReportsOf(c, x.p), [], Path.Combine(c.ArtifactsDir, "bisect", x.p.Id), 0, null)).ToList();
        var firstBad = records.FirstOrDefault(r => r.Verdict != Verdicts.Clean);
        var (outcome, action) = Tasks.ExitRules.Apply(c.Campaign, firstBad?.Verdict ?? Verdicts.Clean);
        ResultsWriter.Write(Path.Combine(c.ArtifactsDir, "bisect"), c.Campaign.Id, records, new HashSet<string>(),
            firstBad is null ? $"{outcome}: all {records.Count} probed patches clean" : $"{outcome}: first bad patch {firstBad.Name} ({firstBad.Verdict})", action);
    }

    public static string? PatchVerdict(BuildContext c, PatchRef patch)
    {
        var path = Path.Combine(c.ArtifactsDir, "bisect", patch.Id, "verdict.json");
        if (!File.Exists(path)) return null;
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("verdict").GetString();
    }

    private static IReadOnlyList<ReportSummary> ReportsOf(BuildContext c, PatchRef patch)
    {
        var path = Path.Combine(c.ArtifactsDir, "bisect", patch.Id, "verdict.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("reports").Deserialize<List<ReportSummary>>(StressPlan.Json) ?? [];
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
        if (HarvestPlan.Verdict(c, "baseline") is { } known && c.Journal.LastEnd("baseline/harvest") is { Outcome: Outcomes.Ok })
        {
            c.Output.Info($"baseline: already probed ({known.Verdict}{(known.Reports.Count > 0 ? $": {string.Join("; ", known.Reports.Select(r => r.Title))}" : "")}); nothing to redo");
            yield break;
        }
        foreach (var step in BootPlan.Steps(c, "baseline")) yield return step;
        foreach (var step in StressPlan.Steps(c, "baseline")) yield return step;
        foreach (var step in HarvestPlan.Steps(c, "baseline")) yield return step;
    }
}
