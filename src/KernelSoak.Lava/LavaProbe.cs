using System.Diagnostics;
using KernelSoak.Lava.Api;
using KernelSoak.Lava.Jobs;
using KernelSoak.Lava.Logs;
using KernelSoak.Lava.Outcome;
using KernelSoak.Soak;

namespace KernelSoak.Lava;

/// <summary>How long a probe waits on LAVA: for a device to take the job, and between two readings of its state.</summary>
public sealed record LavaWaits(TimeSpan Queue, TimeSpan Poll)
{
    public static LavaWaits Default { get; } = new(TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(5));
}

/// <summary>
/// One probe as one LAVA job: submit, hand the id to the journal at once, follow the job to its end,
/// fetch its log, classify it. <see cref="FollowAsync"/> alone reattaches a restarted host to a job it
/// journalled. A job no device takes within <see cref="LavaWaits.Queue"/> (every device offline, the
/// worker gone) is cancelled and is infra-error, as is an API that stops answering.
/// </summary>
/// <param name="logFetched">Given each job's log as LAVA served it: kept with the probe's artifacts.</param>
public sealed class LavaProbe(LavaClient client, LavaWaits waits, Action<string> say, Action<int, string>? logFetched = null)
{
    /// <param name="submitted">Called with the job id as soon as LAVA gives it, before anything else: journal it there.</param>
    public async Task<ProbeOutcome> RunAsync(LavaJob job, Action<int> submitted, IEnumerable<string> suppress, IReadOnlySet<string> preExisting, CancellationToken cancellation = default)
    {
        int id;
        try
        {
            id = await client.SubmitAsync(JobYaml.Render(job), cancellation);
        }
        catch (LavaApiException e)
        {
            return Infra($"LAVA did not take the job: {e.Message}");
        }
        submitted(id);
        say($"LAVA job {id} submitted ({job.Name})");
        return await FollowAsync(id, job, suppress, preExisting, cancellation);
    }

    public async Task<ProbeOutcome> FollowAsync(int id, LavaJob job, IEnumerable<string> suppress, IReadOnlySet<string> preExisting, CancellationToken cancellation = default)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var status = await client.GetJobAsync(id, cancellation);
            var last = status.State;
            while (!status.IsFinished)
            {
                if (status.State is LavaJobState.Submitted && watch.Elapsed > waits.Queue)
                {
                    await client.CancelAsync(id, cancellation);
                    var devices = await client.GetDevicesAsync(job.DeviceType, cancellation);
                    return Infra($"LAVA job {id}: no {job.DeviceType} device took it in {waits.Queue.TotalMinutes:0} min (devices: {Describe(devices)}); cancelled");
                }
                await Task.Delay(waits.Poll, cancellation);
                status = await client.GetJobAsync(id, cancellation);
                if (status.State != last) say($"LAVA job {id}: {status.State}{(status.Device is { } d ? $" on {d}" : "")}");
                last = status.State;
            }
            var text = await client.GetLogAsync(id, cancellation);
            logFetched?.Invoke(id, text);
            var log = LavaLog.Parse(text);
            var outcome = LavaProbeOutcome.From(status, log, job, suppress, preExisting);
            say($"LAVA job {id}: {status.Health} → {outcome.Verdict}{(outcome.Note is { } n ? $" ({n})" : "")}");
            return outcome;
        }
        catch (LavaApiException e)
        {
            return Infra($"LAVA job {id}: {e.Message}");
        }
        catch (FormatException e)
        {
            return Infra($"LAVA job {id}: its log could not be read: {e.Message}");
        }
    }

    private static string Describe(IReadOnlyList<LavaDevice> devices) =>
        devices.Count == 0 ? "none" : string.Join(", ", devices.Select(d => $"{d.Hostname} {d.State}/{d.Health}"));

    private static ProbeOutcome Infra(string note) => new(Verdicts.InfraError, [], [], [], [], note, 0);
}
