using System.Diagnostics;
using Renci.SshNet.Common;

namespace KernelSoak.Remote;

public sealed partial class SshTarget
{
    /// <summary>
    /// Runs a command and copies its standard output into <paramref name="destination"/> byte for byte —
    /// a pstore record is compressed binary, and any text decoding on the way (UTF-8 replacement characters
    /// for invalid bytes) changes its length and its hash. The result's Output is empty: the bytes are in
    /// the destination. Like <see cref="RunAsync"/>, a timeout or cancel kills the remote process group; a
    /// destination that fails (the host's disk full) does too, and its exception is rethrown as it is.
    /// </summary>
    public async Task<RemoteResult> CopyOutputAsync(string command, Stream destination, TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        Announce(command);
        var watch = Stopwatch.StartNew();
        var cmd = _client.CreateCommand(KillOnHangup(AsRoot(command)));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        if (timeout is { } t) limit.CancelAfter(t);
        var running = cmd.ExecuteAsync(CancellationToken.None);
        var hangup = cmd.CreateInputStream();
        // SSH.NET's output stream blocks in Read whatever a token says: the copy runs apart and ends with the channel.
        var copying = Task.Run(() => cmd.OutputStream.CopyToAsync(destination, 64 * 1024, CancellationToken.None), CancellationToken.None);
        try
        {
            await WatchOrHangUpAsync(BothOrFirstFailure(running, copying), running, hangup, cmd, command, timeout, cancellation, limit.Token);
        }
        catch (Exception e) when (copying.IsFaulted && e is not (PeerFrozenException or BoardLinkLostException))
        {
            // The host side failed (ENOSPC, EIO): stop the remote command and say what failed, not the SSH fallout.
            await HangUpAsync(hangup, running);
            cmd.Dispose();
            throw copying.Exception!.InnerException!;
        }
        try { await hangup.DisposeAsync(); } catch (Exception e) when (e is SshException or ObjectDisposedException) { }
        using (cmd)
            return new RemoteResult(command, cmd.ExitStatus ?? -1, "", cmd.Error, watch.Elapsed);
    }

    /// <summary>Both done, or the copy's failure at once: a command nobody reads any more must not be waited for.</summary>
    private static async Task BothOrFirstFailure(Task running, Task copying)
    {
        if (await Task.WhenAny(running, copying) == copying) await copying;
        await Task.WhenAll(running, copying);
    }
}
