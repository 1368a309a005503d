using System.Diagnostics;
using Renci.SshNet.Common;

namespace KernelSoak.Remote;

public sealed partial class SshTarget
{
    /// <summary>
    /// Runs a command and copies its standard output into <paramref name="destination"/> byte for byte —
    /// a pstore record is compressed binary, and any text decoding on the way (UTF-8 replacement characters
    /// for invalid bytes) changes its length and its hash. The result's Output is empty: the bytes are in
    /// the destination. A destination that fails (the host's disk full) hangs the command up and rethrows.
    /// </summary>
    public async Task<RemoteResult> CopyOutputAsync(string command, Stream destination, TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        var watch = Stopwatch.StartNew();
        using var cmd = _client.CreateCommand(AsRoot(command));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        if (timeout is { } t) limit.CancelAfter(t);
        var running = cmd.ExecuteAsync(limit.Token);
        // SSH.NET's output stream blocks in Read whatever a token says: the copy runs apart and ends with the channel.
        var copying = Task.Run(() => cmd.OutputStream.CopyToAsync(destination, 64 * 1024, CancellationToken.None), CancellationToken.None);
        try
        {
            await WatchAsync(BothOrFirstFailure(running, copying), command, limit.Token);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new TimeoutException($"'{command}' on {Endpoint} did not finish within {timeout?.TotalSeconds} s");
        }
        catch (Exception e) when (copying.IsFaulted && e is not PeerFrozenException)
        {
            // The host side failed (ENOSPC, EIO): stop the remote command and say what failed, not the SSH fallout.
            await limit.CancelAsync();
            try { await running.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None); }
            catch (Exception ended) when (ended is OperationCanceledException or TimeoutException or SshException or ObjectDisposedException) { }
            throw copying.Exception!.InnerException!;
        }
        return new RemoteResult(command, cmd.ExitStatus ?? -1, "", cmd.Error, watch.Elapsed);
    }

    /// <summary>Both done, or the copy's failure at once: a command nobody reads any more would block forever on a full window.</summary>
    private static async Task BothOrFirstFailure(Task running, Task copying)
    {
        if (await Task.WhenAny(running, copying) == copying) await copying;
        await Task.WhenAll(running, copying);
    }
}
