using System.Net.Sockets;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace KernelSoak.Remote;

public sealed record RemoteResult(string Command, int ExitCode, string Output, string Error, TimeSpan Duration)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>
/// A board over SSH (SSH.NET): key login, host key checked against a pin or known_hosts before any
/// byte of ours is sent, commands with exit codes and timeouts.
/// </summary>
public sealed class SshTarget : IDisposable
{
    private readonly SshClient _client;

    private SshTarget(SshEndpoint endpoint, SshClient client, string hostKey)
    {
        Endpoint = endpoint;
        _client = client;
        HostKeyFingerprint = hostKey;
    }

    public SshEndpoint Endpoint { get; }
    public string HostKeyFingerprint { get; }

    public static async Task<SshTarget> ConnectAsync(SshEndpoint endpoint, CancellationToken cancellation = default)
    {
        if (!File.Exists(endpoint.IdentityFile))
            throw new FileNotFoundException($"SSH key {endpoint.IdentityFile} not found: set [Board] IdentityFile", endpoint.IdentityFile);
        var key = new PrivateKeyFile(endpoint.IdentityFile);
        var info = new ConnectionInfo(endpoint.Host, endpoint.Port, endpoint.User, new PrivateKeyAuthenticationMethod(endpoint.User, key))
        {
            Timeout = endpoint.ConnectTimeout,
        };
        var client = new SshClient(info);
        Exception? verdict = null;
        string seen = "";
        client.HostKeyReceived += (_, e) =>
        {
            seen = KnownHosts.Fingerprint(e.HostKey);
            verdict = Verify(endpoint, e.HostKeyName, e.HostKey, seen);
            e.CanTrust = verdict is null;
        };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(endpoint.ConnectTimeout);
            await client.ConnectAsync(timeout.Token);
        }
        catch (Exception e) when (verdict is not null)
        {
            client.Dispose();
            throw verdict is HostKeyMismatchException or UnknownHostKeyException ? verdict : new BoardUnreachableException(endpoint, e.Message, e);
        }
        catch (Exception e) when (e is SocketException or SshConnectionException or SshOperationTimeoutException or OperationCanceledException or ProxyException or TimeoutException)
        {
            client.Dispose();
            if (cancellation.IsCancellationRequested) throw;
            throw new BoardUnreachableException(endpoint, e.Message, e);
        }
        return new SshTarget(endpoint, client, seen);
    }

    private static Exception? Verify(SshEndpoint endpoint, string keyType, byte[] blob, string fingerprint)
    {
        if (endpoint.PinnedHostKey.Length > 0)
        {
            var pinned = endpoint.PinnedHostKey.StartsWith("SHA256:", StringComparison.Ordinal) ? endpoint.PinnedHostKey : "SHA256:" + endpoint.PinnedHostKey;
            return pinned == fingerprint ? null : new HostKeyMismatchException(endpoint, pinned, fingerprint);
        }
        if (endpoint.KnownHostsFile.Length == 0)
            return new UnknownHostKeyException(endpoint, fingerprint);
        var entries = KnownHosts.Find(endpoint.KnownHostsFile, endpoint.KnownHostsName);
        var sameType = entries.Where(e => e.KeyType == keyType).ToList();
        if (sameType.Any(e => e.KeyBase64 == Convert.ToBase64String(blob))) return null;
        if (entries.Count > 0)
        {
            var expected = string.Join(" or ", entries.Select(e => KnownHosts.Fingerprint(Convert.FromBase64String(e.KeyBase64))));
            return new HostKeyMismatchException(endpoint, expected, fingerprint);
        }
        if (!endpoint.TrustOnFirstUse) return new UnknownHostKeyException(endpoint, fingerprint);
        KnownHosts.Append(endpoint.KnownHostsFile, endpoint.KnownHostsName, keyType, blob);
        return null;
    }

    public async Task<RemoteResult> RunAsync(string command, TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var cmd = _client.CreateCommand(command);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        if (timeout is { } t) limit.CancelAfter(t);
        try
        {
            await cmd.ExecuteAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new TimeoutException($"'{command}' on {Endpoint} did not finish within {timeout?.TotalSeconds} s");
        }
        return new RemoteResult(command, cmd.ExitStatus ?? -1, cmd.Result, cmd.Error, watch.Elapsed);
    }

    /// <summary>Runs a command feeding its stdin from <paramref name="writeInput"/> (tar streams, file bodies).</summary>
    public async Task<RemoteResult> RunWithInputAsync(string command, Func<Stream, Task> writeInput, TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var cmd = _client.CreateCommand(command);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        if (timeout is { } t) limit.CancelAfter(t);
        var running = cmd.ExecuteAsync(limit.Token);
        await using (var input = cmd.CreateInputStream())
            await writeInput(input);
        try
        {
            await running;
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new TimeoutException($"'{command}' on {Endpoint} did not finish within {timeout?.TotalSeconds} s");
        }
        return new RemoteResult(command, cmd.ExitStatus ?? -1, cmd.Result, cmd.Error, watch.Elapsed);
    }

    /// <summary>
    /// Streams a long-running command's output line by line until it ends or is cancelled. The remote
    /// side runs under a wrapper that kills its process group when the channel closes (cancelling an
    /// SSH command does not kill the remote process by itself).
    /// </summary>
    public async Task StreamAsync(string command, Action<string> onLine, CancellationToken cancellation)
    {
        var wrapped = "sh -c " + Quote($"trap 'kill 0' EXIT HUP; {command} & wait");
        using var cmd = _client.CreateCommand(wrapped);
        var running = cmd.ExecuteAsync(cancellation);
        using var reader = new StreamReader(cmd.OutputStream);
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                var line = await reader.ReadLineAsync(cancellation);
                if (line is null) break;
                onLine(line);
            }
        }
        catch (OperationCanceledException)
        {
            // the window ended
        }
        try { cmd.CancelAsync(); } catch (InvalidOperationException) { }
        try { await running; } catch (Exception e) when (e is OperationCanceledException or SshException or InvalidOperationException) { }
    }

    /// <summary>Runs and throws with the command's stderr when it fails.</summary>
    public async Task<string> CheckAsync(string command, TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        var result = await RunAsync(command, timeout, cancellation);
        if (!result.Succeeded)
            throw new InvalidOperationException($"'{command}' on {Endpoint} exited {result.ExitCode}: {result.Error.Trim()}");
        return result.Output;
    }

    /// <summary>POSIX single-quote quoting for a remote shell.</summary>
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public void Dispose()
    {
        if (_client.IsConnected) _client.Disconnect();
        _client.Dispose();
    }
}
