using KernelSoak.Campaigns;
using KernelSoak.Frosting;
using KernelSoak.Journal;
using KernelSoak.Kernel;
using KernelSoak.Lava.Farm;
using KernelSoak.Probes;
using KernelSoak.Series;
using KernelSoak.Settings;
using KernelSoak.Soak;
using KernelSoak.Steps;

namespace KernelSoak.Build.Plans;

/// <summary>
/// A binary search's round on several LAVA devices, wired to <see cref="RoundRunner"/>: each probe's kernel
/// built in turn and kept in its probe's directory, its job submitted; then every job followed at once, and
/// each probe added to its point's record. Journal and verdicts stay per patch (bisect/NNNN/probe-N/…).
/// Several local [Board] entries are not wired: a local board probes one point at a time.
/// </summary>
public static class BisectRoundPlan
{
    public static string RoundFile(BuildContext c) => Path.Combine(BisectPlan.BisectDir(c), "round.json");

    /// <summary>k for the search: the LAVA devices that take jobs (capped by [Lava] Boards); 1 for a local board.</summary>
    public static async Task<int> BoardsAsync(BuildContext c)
    {
        var (boards, why) = await LavaBoards.ForSearchAsync(c.Settings.Board, c.Settings.Lava, c.DryRun, ct: c.Cancellation);
        if (why is not null) c.Output.Info($"binary search on LAVA: {why}");
        return boards;
    }

    /// <summary>A round a killed run left unfinished on the farm, still valid for these patches: it is finished before anything new is planned.</summary>
    public static IReadOnlyList<RoundProbe>? Pending(BuildContext c, IReadOnlyList<string> ids) =>
        ProbeRound.Pending(ProbeRound.Load(RoundFile(c)), ids, i => BisectPlan.PointKey(c, c.Campaign.Series.Patches[i]), p => State(c, p));

    /// <summary>Numbers the round's probes and saves the plan (not in a dry run: it writes nothing).</summary>
    public static IReadOnlyList<RoundProbe> Plan(BuildContext c, IReadOnlyList<string> ids, IEnumerable<ProbeNext> round)
    {
        var patches = c.Campaign.Series.Patches;
        var planned = ProbeRound.Plan(ids, [.. round], i => BisectPlan.Record(c, patches[i])?.Probes.Select(p => p.Number).DefaultIfEmpty(0).Max() ?? 0,
            i => BisectPlan.PointKey(c, patches[i]));
        if (!c.DryRun) ProbeRound.Save(RoundFile(c), planned);
        return planned;
    }

    public static string ProbeOf(RoundProbe p) => ProbeLifecycle.SearchProbe(p.Patch, p.Number);

    private static PatchRef Patch(BuildContext c, RoundProbe p) => c.Campaign.Series.Patches[p.Index];

    private static ProbeNext Next(RoundProbe p) => new(p.Index, p.Seconds, p.Purpose, p.Why);

    private static ProbeWindow Window(BuildContext c, RoundProbe p) => new(p.Seconds, HuntRule.Parse(c.Campaign.Series.Hunt).Steers);

    /// <summary>Where the probe stands: in its record, followed (verdict written), submitted by a killed run, or new.</summary>
    public static RoundProbeState State(BuildContext c, RoundProbe p)
    {
        if (BisectPlan.Record(c, Patch(c, p))?.Settles(p.Number) == true) return RoundProbeState.Recorded;
        var probe = ProbeOf(p);
        var inputs = LavaPlan.JobInputs(c, Window(c, p));
        if (c.Journal.LastEnd(LavaPlan.StepOf(probe)) is { Outcome: Outcomes.Ok } end && end.Fingerprint == inputs && HarvestPlan.Verdict(c, probe) is not null)
            return RoundProbeState.Followed;
        return LavaResume.Decide(c.Journal.Entries, LavaPlan.StepOf(probe), inputs) is LavaStart.Reattach && File.Exists(LavaPlan.KeptImage(c, probe))
            ? RoundProbeState.Submitted : RoundProbeState.New;
    }

    /// <summary>Runs the round; a probe whose point turned out untestable (apply-failed, build-failed) is the search's to skip, any other failure stops the run once the others are recorded.</summary>
    public static async Task RunAsync(BuildContext c, IReadOnlyList<RoundProbe> round)
    {
        c.Output.Info($"round of {round.Count}: {string.Join(", ", round.Select(p => $"{p.Patch} probe {p.Number} ({p.Seconds:0} s)"))}");
        var results = await RoundRunner.RunAsync(round, Actions(c), c.Cancellation);
        var failed = results.Where(r => r.Error is not null && BisectPlan.Record(c, Patch(c, r.Probe))?.Untestable != true).ToList();
        if (failed.Count == 0) return;
        var first = failed[0];
        if (first.Error is UserErrorException or OperationCanceledException) throw first.Error;
        throw InfraTrouble.Is(first.Error!)
            ? new UserErrorException($"patch {first.Probe.Patch}: infra-error, not a verdict ({first.Error!.Message}). The probe was tried {c.Campaign.Series.InfraRetries + 1} time(s); " +
                "fix the setup and re-run the same command: the round resumes, its recorded probes are kept and its submitted jobs reattached.", first.Error)
            : new InvalidOperationException($"probe {first.Probe.Number} of {first.Probe.Patch} failed: {first.Error!.Message}; re-run to resume the round", first.Error);
    }

    private static RoundActions Actions(BuildContext c) => new()
    {
        State = p => c.DryRun ? RoundProbeState.New : State(c, p),
        Build = (p, _) => BuildAsync(c, p),
        Run = (p, queued, _) => c.RunStepsAsync(LavaPlan.Steps(c, ProbeOf(p), BisectPlan.Baseline(c), false, Window(c, p), new LavaRoundJob(LavaPlan.KeptImage(c, ProbeOf(p)), p.Slot, queued))),
        Record = (p, _) => c.RunStepsAsync([BisectPlan.Lifecycle(c).RecordStep(Patch(c, p), p.Number, ProbeOf(p), Next(p))]),
        IsInfra = e => InfraTrouble.Is(e) && !c.Cancellation.IsCancellationRequested,
        Retrying = (p, e, n) =>
        {
            BisectPlan.NoteInfraError(c, p.Patch, e);
            c.Output.Warn($"infra-error in probe {p.Number} of {p.Patch} ({e.Message}): not the patch's fault; submitting it again ({n}/{c.Campaign.Series.InfraRetries})");
        },
        InfraRetries = c.Campaign.Series.InfraRetries,
    };

    private static async Task BuildAsync(BuildContext c, RoundProbe p)
    {
        try
        {
            await c.RunStepsAsync(BuildThenKeep(c, p));
        }
        catch (Exception e) when (ProbeLifecycle.UntestableVerdict(e, c.Cancellation) is not null)
        {
            throw new UserErrorException(BisectPlan.Lifecycle(c).RecordUntestable(Patch(c, p), e).Message, e);
        }
    }

    // Lazy: the keep step reads the manifest the build step just wrote.
    private static IEnumerable<Step> BuildThenKeep(BuildContext c, RoundProbe p)
    {
        foreach (var step in BisectPlan.BuildSteps(c, Patch(c, p))) yield return step;
        yield return LavaPlan.KeepImage(c, ProbeOf(p));
    }
}
