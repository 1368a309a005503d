using System.Net.Sockets;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;
using KernelSoak.Processes;

namespace KernelSoak.Remote;

public sealed record RemoteResult(string Command, int ExitCode, string Output, string Error, TimeSpan Duration)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>
/// A board over SSH (SSH.NET): key login, host key checked against a pin or known_hosts before any
/// byte of ours is sent, commands with exit codes and timeouts.
/// </summary>
public sealed partial class SshTarget : IDisposable
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
        var info = new ConnectionInfo(endpoint.Host, endpoint.Port, endpoint.User, new PrivateKeyAuthenticationMethod(endpoint.User, [.. Keys(endpoint)]))
        {
            Timeout = endpoint.ConnectTimeout,
        };
        PreferCheapCiphers(info);
        var client = new SshClient(info);
        Exception? verdict = null;
        string seen = "";
        client.HostKeyReceived += (_, e) =>
        {
            seen = KnownHosts.Fingerprint(e.HostKey);
            try
            {
                verdict = Verify(endpoint, e.HostKeyName, e.HostKey, seen);
            }
            catch (KnownHostsException unreadable)
            {
                verdict = unreadable;   // said as it is, not as whatever SSH.NET makes of a throwing handler
            }
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
            throw verdict is HostKeyMismatchException or UnknownHostKeyException or RevokedHostKeyException or KnownHostsException
                ? verdict : new BoardUnreachableException(endpoint, e.Message, e);
        }
        catch (Exception e) when (e is SocketException or SshConnectionException or SshOperationTimeoutException or OperationCanceledException or ProxyException or TimeoutException)
        {
            client.Dispose();
            if (cancellation.IsCancellationRequested) throw;
            throw new BoardUnreachableException(endpoint, e.Message, e);
        }
        return new SshTarget(endpoint, client, seen);
    }

    /// <summary>The agent's keys first, then the key file (OpenSSH's order); a clear error when there is none.</summary>
    private static List<IPrivateKeySource> Keys(SshEndpoint endpoint)
    {
        var keys = new List<IPrivateKeySource>();
        if (endpoint.AgentSocket is { } socket)
        {
            if (socket.Length == 0) throw new SshAgentException("[Board] Agent = true, but SSH_AUTH_SOCK is not set: start an agent (eval $(ssh-agent); ssh-add) or set [Board] AgentSocket");
            keys.AddRange(new SshAgent(socket).Keys());
        }
        if (File.Exists(endpoint.IdentityFile)) keys.Add(new PrivateKeyFile(endpoint.IdentityFile));
        if (keys.Count == 0)
            throw new FileNotFoundException(endpoint.AgentSocket is null
                ? $"SSH key {endpoint.IdentityFile} not found: set [Board] IdentityFile (or Agent = true to use an ssh-agent's keys)"
                : $"no SSH key: the ssh-agent at {endpoint.AgentSocket} holds none (ssh-add) and {endpoint.IdentityFile} does not exist", endpoint.IdentityFile);
        return keys;
    }

    /// <summary>
    /// chacha20-poly1305 first, as OpenSSH's client does: a board's sshd (dropbear) runs ciphers in plain C,
    /// where chacha20-poly1305 costs a fraction of AES-CTR plus an HMAC — the board's CPU, not the link, is
    /// what limits a copy to it.
    /// </summary>
    private static void PreferCheapCiphers(ConnectionInfo info)
    {
        var preferred = new[] { "chacha20-poly1305@openssh.com", "aes128-gcm@openssh.com", "aes256-gcm@openssh.com" };
        var ordered = preferred.Where(info.Encryptions.ContainsKey).Select(name => KeyValuePair.Create(name, info.Encryptions[name]))
            .Concat(info.Encryptions.Where(e => !preferred.Contains(e.Key))).ToList();
        info.Encryptions.Clear();
        foreach (var (name, cipher) in ordered) info.Encryptions.Add(name, cipher);
    }

    /// <summary>The cipher the connection uses towards the board (for logs and the deploy bench).</summary>
    public string Cipher => _client.ConnectionInfo.CurrentClientEncryption ?? "";

    private static Exception? Verify(SshEndpoint endpoint, string keyType, byte[] blob, string fingerprint)
    {
        if (endpoint.PinnedHostKey.Length > 0)
        {
            var pinned = endpoint.PinnedHostKey.StartsWith("SHA256:", StringComparison.Ordinal) ? endpoint.PinnedHostKey : "SHA256:" + endpoint.PinnedHostKey;
            return pinned == fingerprint ? null : new HostKeyMismatchException(endpoint, pinned, fingerprint);
        }
        if (endpoint.KnownHostsFile.Length == 0)
            return new UnknownHostKeyException(endpoint, fingerprint);
        var lookup = KnownHosts.Find(endpoint.KnownHostsFile, endpoint.KnownHostsName);
        if (lookup.Revoked.FirstOrDefault(e => e.KeyBase64 == Convert.ToBase64String(blob)) is { } revoked)
            return new RevokedHostKeyException(endpoint, fingerprint, endpoint.KnownHostsFile, revoked.Line);
        var entries = lookup.Known;
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

    public bool IsConnected => _client.IsConnected;

    /// <summary>The command as the run's log shows it (see <see cref="SshEndpoint.OnCommand"/>).</summary>
    private void Announce(string command) => Endpoint.OnCommand?.Invoke($"ssh {Endpoint}: {command}");

    public async Task<RemoteResult> RunAsync(string command, TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        Announce(command);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var cmd = _client.CreateCommand(KillOnHangup(AsRoot(command)));
        // Our end of the command's stdin: closing it (cancel, timeout, a dead host) tells the remote
        // wrapper to kill the command's process group. An SSH "signal" alone is ignored by OpenSSH and dropbear.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        if (timeout is { } t) limit.CancelAfter(t);
        var running = cmd.ExecuteAsync(CancellationToken.None);
        var hangup = cmd.CreateInputStream();
        await WatchOrHangUpAsync(running, running, hangup, cmd, command, timeout, cancellation, limit.Token);
        try { await hangup.DisposeAsync(); } catch (Exception e) when (e is SshException or ObjectDisposedException) { }
        using (cmd)
            return new RemoteResult(command, cmd.ExitStatus ?? -1, cmd.Result, cmd.Error, watch.Elapsed);
    }

    /// <summary>
    /// Waits for <paramref name="work"/> (the command, or the command and what reads it) under the keep-alive
    /// watch: on a timeout or cancel the command is hung up (its process group killed); a frozen peer is hung
    /// up in the background.
    /// </summary>
    private async Task WatchOrHangUpAsync(Task work, Task running, Stream hangup, SshCommand cmd, string command,
        TimeSpan? timeout, CancellationToken cancellation, CancellationToken limit)
    {
        try
        {
            await WatchAsync(work, command, limit);
        }
        catch (OperationCanceledException)
        {
            await HangUpAsync(hangup, running);
            if (cancellation.IsCancellationRequested) throw;
            throw new TimeoutException($"'{command}' on {Endpoint} did not finish within {timeout?.TotalSeconds} s (its remote processes were killed)");
        }
        catch (Exception e) when (e is PeerFrozenException or BoardLinkLostException)
        {
            // Closing a channel waits for the peer's answer, which will not come: let that happen in the background.
            _ = Task.Run(() => { HangUp(hangup); cmd.Dispose(); });
            throw;
        }
    }

    /// <summary>
    /// Waits for a running command, asking the board every <see cref="SshEndpoint.KeepAlive"/> whether it
    /// still answers (a new channel running a shell builtin): a TCP connection to a frozen board stays
    /// open forever, so silence is the only sign.
    /// </summary>
    private async Task WatchAsync(Task running, string command, CancellationToken cancellation)
    {
        while (!running.IsCompleted)
        {
            var finished = await Task.WhenAny(running, Task.Delay(Endpoint.KeepAlive, cancellation));
            cancellation.ThrowIfCancellationRequested();
            if (finished == running) break;
            if (!await AnswersAsync(Endpoint.DeadPeerAfter, cancellation) && !running.IsCompleted)
                throw _client.IsConnected ? new PeerFrozenException(Endpoint, command, Endpoint.DeadPeerAfter)
                    : new BoardLinkLostException(Endpoint, command, new SshConnectionException("the connection closed"));
        }
        await running;
    }

    /// <summary>One round trip: true when the board ran a no-op within <paramref name="within"/>.</summary>
    public async Task<bool> AnswersAsync(TimeSpan within, CancellationToken cancellation = default)
    {
        var ping = _client.CreateCommand(":");
        try
        {
            await ping.ExecuteAsync(cancellation).WaitAsync(within, cancellation);
            var answered = ping.ExitStatus == 0;
            ping.Dispose();
            return answered;
        }
        catch (Exception e) when (e is TimeoutException or SshException or ObjectDisposedException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            _ = Task.Run(ping.Dispose); // waits for a close the silent peer never sends
            return false;
        }
    }

    /// <summary>With <see cref="SshEndpoint.Sudo"/>: through <c>sudo -n</c>, which fails at once instead of asking a password.</summary>
    private string AsRoot(string command) => Endpoint.Sudo ? "sudo -n -- sh -c " + CommandLine.Quote(command) : command;

    /// <summary>
    /// Runs <paramref name="command"/> in its own session (process group) on the board, and kills that
    /// group when our side of stdin closes, so nothing we start outlives our interest in it.
    /// </summary>
    internal static string KillOnHangup(string command) =>
        // fd 3 keeps stdin for the watcher: a background list's stdin is /dev/null in a non-interactive shell.
        "sh -c " + CommandLine.Quote("exec 3<&0; setsid sh -c \"$1\" </dev/null 3<&- & p=$!; " +
                         "(while read -r _; do :; done; kill -TERM -$p; sleep 1; kill -KILL -$p) <&3 >/dev/null 2>&1 & w=$!; exec 3<&-; " +
                         "wait $p; rc=$?; kill $w 2>/dev/null; exit $rc") + " ks " + CommandLine.Quote(command);

    private static async Task HangUpAsync(Stream hangup, Task running)
    {
        HangUp(hangup);
        try
        {
            await running.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is TimeoutException or SshException or ObjectDisposedException or InvalidOperationException)
        {
            // the channel is gone; the remote wrapper saw its stdin close either way
        }
    }

    private static void HangUp(Stream hangup)
    {
        try
        {
            // SSH.NET sends the channel EOF on dispose only after some data: one newline, which the watcher skips.
            hangup.Write("\n"u8);
            hangup.Flush();
            hangup.Dispose();
        }
        catch (Exception e) when (e is SshException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            // already closed
        }
    }

    /// <summary>Runs a command feeding its stdin from <paramref name="writeInput"/> (tar streams, file bodies).</summary>
    public Task<RemoteResult> RunWithInputAsync(string command, Func<Stream, Task> writeInput, TimeSpan? timeout = null, CancellationToken cancellation = default) =>
        ConverseAsync(command, (input, _) => writeInput(input), timeout, cancellation);

    /// <summary>
    /// Streams a long-running command's output line by line until it ends or is cancelled; cancelling
    /// kills the remote process group (see <see cref="KillOnHangup"/>).
    /// </summary>
    public Task StreamAsync(string command, Action<string> onLine, CancellationToken cancellation) =>
        StreamAsync(command, static _ => { }, onLine, cancellation);

    /// <summary>
    /// Streams a long-running command's output: <paramref name="onBytes"/> gets every byte as printed (for
    /// the kept log; the memory is lent for the call only), <paramref name="onLine"/> the same split by a
    /// <see cref="LineSplitter"/> (UTF-8), so a line of any length holds at most its cap in memory.
    /// Ends when the command does or on cancel, which kills the remote process group (see <see cref="KillOnHangup"/>).
    /// </summary>
    public async Task StreamAsync(string command, Action<ReadOnlyMemory<byte>> onBytes, Action<string> onLine, CancellationToken cancellation)
    {
        Announce(command);
        using var cmd = _client.CreateCommand(KillOnHangup(AsRoot(command)));
        var running = cmd.ExecuteAsync(CancellationToken.None);
        var hangup = cmd.CreateInputStream();
        var output = cmd.OutputStream;
        // SSH.NET's output stream blocks in Read whatever the token says: the reading runs apart, and on
        // cancel the remote side is hung up (which ends the stream), or, when the board is dead and
        // nothing will ever end it, the stream is closed under the reader.
        var reading = Task.Run(async () =>
        {
            var lines = new LineSplitter(new UTF8Encoding(false));
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await output.ReadAsync(buffer, CancellationToken.None)) > 0)
            {
                if (cancellation.IsCancellationRequested) return;
                onBytes(buffer.AsMemory(0, read));
                lines.Feed(buffer.AsSpan(0, read), onLine);
            }
            if (!cancellation.IsCancellationRequested) lines.Flush(onLine);
        }, CancellationToken.None);
        try
        {
            await reading.WaitAsync(cancellation);
        }
        catch (OperationCanceledException)
        {
            HangUp(hangup);
            if (await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)) != reading)
                output.Dispose();
            try { await reading.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None); } catch (Exception e) when (e is TimeoutException or ObjectDisposedException or IOException) { }
        }
        catch (Exception e) when (e is ObjectDisposedException or IOException or SshException)
        {
            // the connection went away under the reader
        }
        await HangUpAsync(hangup, running);
    }

    /// <summary>Runs and throws with the command's stderr when it fails.</summary>
    public async Task<string> CheckAsync(string command, TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        var result = await RunAsync(command, timeout, cancellation);
        if (!result.Succeeded)
            throw new InvalidOperationException($"'{command}' on {Endpoint} exited {result.ExitCode}: {result.Error.Trim()}" +
                (Endpoint.Sudo && result.Error.Contains("sudo:", StringComparison.Ordinal)
                    ? $". {Endpoint.User} needs password-less sudo on the board (a NOPASSWD line in /etc/sudoers.d), or log in as root" : ""));
        return result.Output;
    }

    /// <summary>
    /// A short read that ends on its own (a /proc file, uname): run as it is, without the process-group
    /// watcher every other command gets — that costs three processes, ~0.4 s on an emulated board, and there
    /// is nothing here to kill. A timeout still ends the wait.
    /// </summary>
    public async Task<string> ReadAsync(string command, TimeSpan timeout, CancellationToken cancellation = default)
    {
        var cmd = _client.CreateCommand(AsRoot(command));
        try
        {
            await cmd.ExecuteAsync(cancellation).WaitAsync(timeout, cancellation);
        }
        catch (TimeoutException)
        {
            _ = Task.Run(cmd.Dispose);
            throw new TimeoutException($"'{command}' on {Endpoint} did not answer within {timeout.TotalSeconds:0} s");
        }
        using (cmd)
        {
            if (cmd.ExitStatus != 0)
                throw new InvalidOperationException($"'{command}' on {Endpoint} exited {cmd.ExitStatus}: {cmd.Error.Trim()}");
            return cmd.Result;
        }
    }

    /// <summary>What <see cref="IdentityAsync"/> runs.</summary>
    public const string IdentityCommand = "uname -r; cat /proc/sys/kernel/random/boot_id";

    /// <summary>The release the board runs and its boot id (a short read: see <see cref="ReadAsync"/>).</summary>
    public async Task<(string Release, string BootId)> IdentityAsync(CancellationToken cancellation = default)
    {
        var lines = (await ReadAsync(IdentityCommand, TimeSpan.FromSeconds(30), cancellation)).Split('\n');
        return (lines[0].Trim(), lines.Length > 1 ? lines[1].Trim() : "");
    }

    /// <summary>
    /// Says goodbye to the board, but never waits long for it: SSH.NET's disconnect waits for the peer,
    /// and a dead kernel behind a live TCP endpoint (a panicked or frozen VM, a NAT) never answers.
    /// </summary>
    public void Dispose()
    {
        var closing = Task.Run(() =>
        {
            try
            {
                if (_client.IsConnected) _client.Disconnect();
            }
            catch (Exception e) when (e is SshException or ObjectDisposedException or InvalidOperationException or System.Net.Sockets.SocketException)
            {
                // gone already
            }
            _client.Dispose();
        });
        closing.Wait(TimeSpan.FromSeconds(3));
    }
}
