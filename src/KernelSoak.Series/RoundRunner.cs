namespace KernelSoak.Series;

/// <summary>What running a round does to one probe; the build host gives each as its steps.</summary>
public sealed class RoundActions
{
    public required Func<RoundProbe, RoundProbeState> State { get; init; }

    /// <summary>Apply the series up to the probe's point, build, keep the kernel in the probe's own directory. One at a time: one source tree.</summary>
    public required Func<RoundProbe, CancellationToken, Task> Build { get; init; }

    /// <summary>Submit the probe's job (or reattach to it), calling the action once it is in the queue; follow it to its verdict.</summary>
    public required Func<RoundProbe, Action, CancellationToken, Task> Run { get; init; }

    /// <summary>Add the probe to its point's record.</summary>
    public required Func<RoundProbe, CancellationToken, Task> Record { get; init; }

    /// <summary>A failure that is the lab's, not the kernel's: the job is run again (series.infra_retries), never a verdict.</summary>
    public Func<Exception, bool> IsInfra { get; init; } = _ => false;

    /// <summary>Told of each retry (probe, the failure, the retry's number).</summary>
    public Action<RoundProbe, Exception, int> Retrying { get; init; } = (_, _, _) => { };

    public int InfraRetries { get; init; }
}

/// <summary>How one probe of a round ended: recorded now, recorded before, or failed (the others' results are kept).</summary>
public sealed record RoundResult(RoundProbe Probe, bool Recorded, bool WasRecorded, Exception? Error);

/// <summary>
/// Runs one round of a search on several boards: each probe's kernel is built in turn and its job submitted
/// before the next is built; only when every job of the round is submitted is any awaited, so the lab runs
/// them side by side. Then the probes are recorded one at a time, in round order: two probes of one point
/// must not write its record at once. A probe that fails (its build, its job past its retries) costs only
/// its own result.
/// </summary>
public static class RoundRunner
{
    public static async Task<IReadOnlyList<RoundResult>> RunAsync(IReadOnlyList<RoundProbe> round, RoundActions actions, CancellationToken ct = default)
    {
        var results = new RoundResult?[round.Count];
        var jobs = new List<(int Slot, Task Job)>();
        for (var i = 0; i < round.Count; i++)
        {
            var probe = round[i];
            var state = actions.State(probe);
            if (state == RoundProbeState.Recorded) { results[i] = new(probe, true, true, null); continue; }
            if (state == RoundProbeState.Followed) { jobs.Add((i, Task.CompletedTask)); continue; }
            try
            {
                if (state == RoundProbeState.New) await actions.Build(probe, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                results[i] = new(probe, false, false, e);
                continue;
            }
            var submitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var job = RunWithRetriesAsync(probe, actions, () => submitted.TrySetResult(), ct);
            await Task.WhenAny(submitted.Task, job); // the next kernel is built once this job is queued (or its submission failed)
            jobs.Add((i, job));
        }
        foreach (var (slot, job) in jobs)
        {
            try { await job; }
            catch (Exception e) { results[slot] = new(round[slot], false, false, e); }
        }
        if (ct.IsCancellationRequested)
            throw results.Select(r => r?.Error).OfType<OperationCanceledException>().FirstOrDefault() ?? new OperationCanceledException(ct);
        foreach (var (slot, _) in jobs.Where(j => results[j.Slot] is null))
        {
            try
            {
                await actions.Record(round[slot], ct);
                results[slot] = new(round[slot], true, false, null);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                results[slot] = new(round[slot], false, false, e);
            }
        }
        return [.. results.Select(r => r!)];
    }

    private static async Task RunWithRetriesAsync(RoundProbe probe, RoundActions actions, Action submitted, CancellationToken ct)
    {
        for (var retry = 0; ; retry++)
        {
            try
            {
                await actions.Run(probe, submitted, ct);
                return;
            }
            catch (Exception e) when (actions.IsInfra(e) && retry < actions.InfraRetries && !ct.IsCancellationRequested)
            {
                submitted(); // a failed submission must not hold up the round's other builds
                actions.Retrying(probe, e, retry + 1);
            }
        }
    }
}
