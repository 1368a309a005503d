namespace KernelSoak.Steps;

/// <summary>The probe failed for the lab's reasons more times than [series] infra_retries allows: an infra-error, never a verdict.</summary>
public sealed class InfraRetriesExhaustedException(int attempts, Exception last)
    : Exception($"infra-error after {attempts} attempt(s): {last.Message}", last)
{
    public int Attempts { get; } = attempts;
}

/// <summary>
/// A probe's retry policy: a failure the rule calls infra trouble (the board's link lost, a power switch that
/// failed) is the lab's, not the patch's, so the probe is tried again — the journal keeps its finished steps, so a
/// retry resumes at the step that failed. Anything else (a verdict's exception, a bug) goes up at once, and so
/// does everything once the user cancelled.
/// </summary>
public static class ProbeAttempts
{
    /// <param name="onInfra">told each infra failure, with its attempt number (from 1) and whether a retry follows</param>
    public static async Task RunAsync(Func<Task> probe, int infraRetries, Func<Exception, bool> isInfra,
        Action<Exception, int, bool> onInfra, CancellationToken cancellation)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(infraRetries);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await probe();
                return;
            }
            catch (Exception e) when (isInfra(e) && !cancellation.IsCancellationRequested)
            {
                var retry = attempt <= infraRetries;
                onInfra(e, attempt, retry);
                if (!retry) throw new InfraRetriesExhaustedException(attempt, e);
            }
        }
    }
}
