using System.Diagnostics;
using Renci.SshNet.Common;

namespace KernelSoak.Remote;

/// <summary>A board that answered after a reboot: the session, the release it runs and its boot id.</summary>
public sealed record NewBoot(SshTarget Session, string Release, string BootId);

/// <summary>Waits for a board's SSH with backoff; a wrong host key stops the wait at once.</summary>
public static class SshWait
{
    public static async Task<SshTarget> UntilUpAsync(SshEndpoint endpoint, TimeSpan timeout, CancellationToken cancellation = default)
    {
        var watch = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(100);
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
            // A refused connection costs the board nothing (no sshd process yet) and a host that is down
            // costs a connect timeout per try: the cap only bounds how late we notice it is up.
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 200));
        }
        throw new TimeoutException($"{endpoint} did not answer SSH within {timeout.TotalSeconds:0} s (last: {last?.Message})", last);
    }

    /// <summary>
    /// Waits until the board answers from a boot other than <paramref name="oldBootId"/>: right after a
    /// reboot is issued, the old kernel's sshd still answers (or drops us halfway) for a while.
    /// </summary>
    public static async Task<NewBoot> UntilNewBootAsync(SshEndpoint endpoint, string oldBootId, TimeSpan timeout, CancellationToken cancellation = default)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var left = timeout - watch.Elapsed;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"{endpoint} did not come back from its reboot within {timeout.TotalSeconds:0} s");
            var up = await UntilUpAsync(endpoint, left, cancellation);
            try
            {
                var (release, bootId) = await up.IdentityAsync(cancellation);
                if (bootId != oldBootId) return new NewBoot(up, release, bootId);
            }
            catch (Exception e) when (e is SshException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException)
            {
                // reached just as it went down: the old kernel's sshd
            }
            up.Dispose();
            await Task.Delay(500, cancellation); // still going down
        }
    }
}
