using System.Net.Sockets;
using KernelSoak.Journal;
using KernelSoak.Lava.Serving;
using KernelSoak.Settings;
using KernelSoak.Soak;

namespace KernelSoak.Lava.Farm;

/// <summary>A probe LAVA could not run (the lab's failure, a cancel, no device): no verdict; the probe is retried like any infra trouble.</summary>
public sealed class LavaInfraException(ProbeOutcome outcome) : Exception($"LAVA: {outcome.Note}")
{
    public ProbeOutcome Outcome { get; } = outcome;
}

/// <summary>
/// One probe's LAVA step: serve the kernel, render the job, then submit it — journalling its id the moment
/// LAVA gives it — or, when <see cref="LavaResume"/> finds a job a killed run submitted, follow that one.
/// The outcome is classified from the job's log; an infra-error outcome is thrown as <see cref="LavaInfraException"/>.
/// </summary>
/// <param name="slot">The job's place in a round of several (<see cref="LavaBoards.ArtifactPort"/>); 0 for a single probe.</param>
public sealed class LavaProbeRun(LavaSettings settings, RunJournal journal, Action<string> say, HttpMessageHandler? handler = null, int slot = 0)
{
    /// <param name="dir">The probe's directory: the job's log is kept there (lava-job.yaml).</param>
    /// <param name="queued">Called once the job is in LAVA's queue and journalled, or reattached: a round builds its next kernel then.</param>
    public async Task<ProbeOutcome> RunAsync(LavaProbeRequest request, string dir, CancellationToken ct = default, Action? queued = null)
    {
        var start = LavaResume.Decide(journal.Entries, request.Step, request.Fingerprint);
        using var client = LavaFarm.Client(settings, handler);
        await using var server = Serve(start is LavaStart.Reattach r ? r.ArtifactPort : LavaBoards.ArtifactPort(settings, slot));
        var job = LavaFarm.Job(settings, request, LavaFarm.Publish(settings, server, request.Image));
        var probe = new LavaProbe(client, LavaFarm.Waits(settings), say, (_, log) =>
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "lava-job.yaml"), log);
        });
        ProbeOutcome outcome;
        int? jobId = null;
        try
        {
            if (start is LavaStart.Reattach again)
            {
                say($"reattaching to LAVA job {again.JobId}: the previous run submitted it and stopped");
                jobId = again.JobId;
                queued?.Invoke();
                outcome = await probe.FollowAsync(again.JobId, job, request.Suppress, request.PreExisting, ct);
            }
            else
            {
                outcome = await probe.RunAsync(job, id =>
                {
                    jobId = id;
                    journal.Note(request.Step, NoteKind.LavaJobSubmitted, LavaResume.NoteOutputs(id, request.Fingerprint, server.Port));
                    queued?.Invoke();
                }, request.Suppress, request.PreExisting, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested && jobId is { } running)
        {
            // Ctrl+C stops the step as it hangs up a local board's commands: the job goes too, and the next run submits anew.
            await CancelAsync(client, running);
            say($"LAVA job {running} cancelled with the step");
            throw;
        }
        if (outcome.Verdict != Verdicts.InfraError) return outcome;
        if (jobId is { } submitted) await CancelAsync(client, submitted);
        throw new LavaInfraException(outcome);
    }

    /// <summary>
    /// The retry of an infra-error submits a new job: the old one must not run on beside it (it may still be
    /// queued when the API stopped answering). Cancelling a finished job changes nothing.
    /// </summary>
    private async Task CancelAsync(Api.LavaClient client, int id)
    {
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await client.CancelAsync(id, limit.Token);
        }
        catch (Exception e) when (e is Api.LavaApiException or OperationCanceledException)
        {
            say($"LAVA job {id} could not be cancelled ({e.Message}): if it still runs, cancel it on the server");
        }
    }

    /// <summary>The port a reattached job's URLs name, when it is free; else any (a job that downloads after this fails: infra-error).</summary>
    private ArtifactServer Serve(int port)
    {
        try
        {
            return LavaFarm.Artifacts(settings, port);
        }
        catch (SocketException e) when (port != 0)
        {
            say($"the artifact server cannot listen on port {port} again ({e.Message}): a job that has not downloaded its kernel yet will fail");
            return LavaFarm.Artifacts(settings, 0);
        }
    }
}
