using System.Text.Json;
using KernelSoak.Campaigns;
using KernelSoak.Frosting;
using KernelSoak.Journal;
using KernelSoak.Kernel;
using KernelSoak.Probes;
using KernelSoak.Series;
using KernelSoak.Soak;
using KernelSoak.Steps;

namespace KernelSoak.Build.Plans;

/// <summary>One probe of the series: apply the patch on top of the previous ones, rebuild, install, boot, stress, harvest, verdict.</summary>
public static class BisectPlan
{
    public static string ApplyStep(PatchRef patch) => $"bisect/{patch.Id}/apply";

    /// <summary>The probe lifecycle of the campaign's series, on this run's board, build host and records.</summary>
    public static ProbeLifecycle Lifecycle(BuildContext c) =>
        new(c.Campaign.Series, c.Campaign.ExitRule, InitialProbeSeconds(c), new Parts(c), new Store(c), c.Output);

    /// <summary>The steps of one probe of <paramref name="patch"/> (<see cref="ProbeLifecycle.Steps"/>).</summary>
    public static IEnumerable<Step> Steps(BuildContext c, PatchRef patch, ProbeNext? next = null) => Lifecycle(c).Steps(patch, Baseline(c), next);

    private sealed class Parts(BuildContext c) : IProbeParts
    {
        public IEnumerable<Step> ApplyAndBuild(PatchRef patch) => BuildSteps(c, patch);
        public IEnumerable<Step> Install(string prefix) => ProbeSteps.For(c).Install(c, prefix);
        public IEnumerable<Step> PrebuildAfter(int index, ProbeNext? next) => PrebuildPlan.After(c, index, next);
        public IEnumerable<Step> Probe(string probe, IReadOnlySet<string> preExisting, ProbeWindow? window) => ProbeSteps.For(c).Probe(c, probe, preExisting, window);
        public ProbeOutcome? Harvested(string probe) => HarvestPlan.Verdict(c, probe);
        public string ProbeDir(string probe) => StressPlan.ProbeDir(c, probe);
        public bool Finished(string probe) => c.Journal.LastEnd(ProbeSteps.For(c).LastStep(probe)) is { Outcome: Outcomes.Ok };
        public void NoteInfraError(PatchRef patch, Exception e) => BisectPlan.NoteInfraError(c, patch.Id, e);
    }

    private sealed class Store(BuildContext c) : IPointStore
    {
        public string Dir => BisectDir(c);
        public PointRecord? Record(PatchRef patch) => BisectPlan.Record(c, patch);
        public string PathOf(PatchRef patch) => PointRecords.PathOf(Dir, patch.Id);

        public void Save(PatchRef patch, string verdict, string note, IReadOnlyList<ProbeRun> runs)
        {
            PointRecords.Save(Dir, new PointRecord(patch.Id, PointKey(c, patch), verdict, note, runs));
            SeriesResults.Write(c, null);
        }
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
        var previous = index == 0 ? await series.BaseAsync(ct) : await AppliedCommitAsync(c, index - 1, dir, ct);
        string file;
        try
        {
            file = PatchSeries.Resolve(dir, patch);
        }
        catch (PatchApplyException e)
        {
            // No patch file (a wrong series.dir): the campaign's mistake, not an untestable point.
            throw new UserErrorException(e.Message, e);
        }
        var recorded = c.Journal.LastEnd(ApplyStep(patch));
        if (recorded is { Outcome: Outcomes.Ok } && recorded.Outputs?.GetValueOrDefault("on") == previous && recorded.Outputs?.GetValueOrDefault("patch") == Fingerprint.OfFile(file))
        {
            await series.ResetAsync(recorded.Outputs!["commit"], ct);
            c.Output.Info($"{patch.Id} already applied: work branch at {recorded.Outputs["commit"][..12]}");
            return StepResult.Ok(recorded.Outputs);
        }
        await series.ResetAsync(previous, ct);
        // A patch that does not apply throws PatchApplyException: the lifecycle records the point untestable.
        var commit = await series.ApplyAsync(file, patch.Id, ct);
        c.Output.Info($"applied {patch.Id}: {Path.GetFileName(file)} → {commit[..12]}");
        return StepResult.Ok(new Dictionary<string, string> { ["commit"] = commit, ["on"] = previous, ["patch"] = Fingerprint.OfFile(file) });
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
        StepResult result;
        try
        {
            result = await ApplyAsync(c, patch, index, dir, ct);
        }
        catch (PatchApplyException e) when (!ct.IsCancellationRequested)
        {
            // Recorded for the patch underneath; nothing above it can be built either (said once, however deep).
            c.Journal.Complete(ApplyStep(patch), inputs, Outcomes.Failed, note: e.Message);
            Lifecycle(c).RecordUntestable(patch, e);
            const string underneath = "a patch underneath does not apply: ";
            throw new PatchApplyException(e.Message.StartsWith(underneath, StringComparison.Ordinal) ? e.Message : underneath + e.Message);
        }
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

    /// <summary>Journals an infra failure in a probe of <paramref name="patch"/>: the lab's fault, not the patch's, and never a verdict.</summary>
    public static void NoteInfraError(BuildContext c, string patch, Exception e) =>
        c.Journal.Note($"bisect/{patch}", NoteKind.InfraError, new Dictionary<string, string> { ["error"] = e.Message });

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
        HarvestPlan.Verdict(c, ProbeLifecycle.BaselineProbe)?.Reports.Select(r => r.Title).ToHashSet() ?? new HashSet<string>();

    /// <summary>The unpatched kernel's probe, once (<see cref="ProbeLifecycle.BaselineSteps"/>).</summary>
    public static IEnumerable<Step> BaselineSteps(BuildContext c) => Lifecycle(c).BaselineSteps();
}
