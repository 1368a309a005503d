using System.Diagnostics;

namespace KernelSoak.Remote;

/// <summary>Waits for a board's SSH with backoff; a wrong host key stops the wait at once.</summary>
public static class SshWait
{
    public static async Task<SshTarget> UntilUpAsync(SshEndpoint endpoint, TimeSpan timeout, CancellationToken cancellation = default)
    {
        var watch = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(200);
        Exception? last = null;
        while (watch.Elapsed < timeout)
        {
            var attempt = endpoint with { ConnectTimeout = TimeSpan.FromSeconds(Math.Clamp((timeout - watch.Elapsed).TotalSeconds, 1, 5)) };
            try
            {
                return await SshTarget.ConnectAsync(attempt, cancellation);
            }
            catch (BoardUnreachableException e)
            {
                last = e;
            }
            await Task.Delay(delay, cancellation);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 1000));
        }
        throw new TimeoutException($"{endpoint} did not answer SSH within {timeout.TotalSeconds:0} s (last: {last?.Message})", last);
    }
}
