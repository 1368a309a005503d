using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KernelSoak.Remote;

namespace KernelSoak.Remote.Tests;

/// <summary>
/// A real OpenSSH sshd on 127.0.0.1 and a free port, with its own host key, client key, authorized_keys
/// and known_hosts in a temporary directory. Runs as the current user (root in CI).
/// </summary>
public sealed class ThrowawaySshd : IDisposable
{
    private Process? _daemon;

    private ThrowawaySshd(string dir, int port)
    {
        Dir = dir;
        Port = port;
    }

    public string Dir { get; }
    public int Port { get; }
    public string ClientKey => Path.Combine(Dir, "client_ed25519");
    public string HostKey => Path.Combine(Dir, "host_ed25519");
    public string KnownHostsFile => Path.Combine(Dir, "known_hosts");
    public string Log => Path.Combine(Dir, "sshd.log");
    public static string CurrentUser => Environment.UserName;

    public static ThrowawaySshd Start()
    {
        var sshd = new ThrowawaySshd(Directory.CreateTempSubdirectory("ks-sshd-").FullName, FreePort());
        Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", sshd.ClientKey);
        sshd.NewHostKey();
        File.Copy(sshd.ClientKey + ".pub", Path.Combine(sshd.Dir, "authorized_keys"));
        // Other logins (the sudo tests) read authorized_keys as themselves.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(sshd.Dir, (UnixFileMode)0b111_101_101);
        File.WriteAllText(Path.Combine(sshd.Dir, "sshd_config"), $"""
            Port {sshd.Port}
            ListenAddress 127.0.0.1
            HostKey {sshd.HostKey}
            PidFile {sshd.Dir}/sshd.pid
            AuthorizedKeysFile {sshd.Dir}/authorized_keys
            StrictModes no
            UsePAM no
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            ClientAliveInterval 0
            LogLevel VERBOSE
            # A login shell's rc that waits on a lock (pyenv's rehash, 60 s by default) must not stall a test.
            SetEnv PYENV_REHASH_TIMEOUT=2
            """);
        RemoveStaleShellLocks();
        if (Environment.UserName == "root") Directory.CreateDirectory("/run/sshd"); // privilege separation dir
        sshd.Launch();
        sshd.PinInKnownHosts();
        return sshd;
    }

    /// <summary>
    /// Tests kill remote process groups on purpose; a kill that lands while root's .bashrc runs
    /// `pyenv rehash` (as on this workplace's machines) leaves its lock file, and every later login waits on
    /// it. A rehash takes well under a second, so a lock older than a minute is stale.
    /// </summary>
    private static void RemoveStaleShellLocks()
    {
        var home = Environment.GetEnvironmentVariable("HOME") ?? "";
        var root = Environment.GetEnvironmentVariable("PYENV_ROOT") is { Length: > 0 } r ? r : Path.Combine(home, ".pyenv");
        var pyenvLock = new FileInfo(Path.Combine(root, "shims", ".pyenv-shim"));
        if (pyenvLock.Exists && DateTime.UtcNow - pyenvLock.LastWriteTimeUtc > TimeSpan.FromMinutes(1)) pyenvLock.Delete();
    }

    /// <summary>Makes a fresh host key (the board "reinstalled"); takes effect at the next <see cref="Restart"/>.</summary>
    public void NewHostKey()
    {
        File.Delete(HostKey);
        File.Delete(HostKey + ".pub");
        Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", HostKey);
    }

    public string HostKeyFingerprint
    {
        get
        {
            var fields = File.ReadAllText(HostKey + ".pub").Split(' ');
            return KnownHosts.Fingerprint(Convert.FromBase64String(fields[1]));
        }
    }

    public void PinInKnownHosts()
    {
        var fields = File.ReadAllText(HostKey + ".pub").Split(' ');
        File.WriteAllText(KnownHostsFile, $"[127.0.0.1]:{Port} {fields[0]} {fields[1]}\n");
    }

    public SshEndpoint Endpoint(string? user = null) => new("127.0.0.1", Port, user ?? CurrentUser, ClientKey)
    {
        KnownHostsFile = KnownHostsFile,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    };

    public void Restart()
    {
        Stop();
        Launch();
    }

    public void Stop()
    {
        if (_daemon is null || _daemon.HasExited) return;
        // The listener and every per-connection child: a stopped board drops all sessions.
        foreach (var pid in Descendants(_daemon.Id)) Kill(pid, "KILL");
        _daemon.Kill();
        _daemon.WaitForExit();
    }

    /// <summary>SIGSTOP every connection's sshd: the TCP peer stays up but never answers (a frozen board).</summary>
    public void FreezeSessions()
    {
        foreach (var pid in Descendants(_daemon!.Id)) Kill(pid, "STOP");
    }

    public void ThawSessions()
    {
        foreach (var pid in Descendants(_daemon!.Id)) Kill(pid, "CONT");
    }

    /// <summary>Waits until every connection's sshd has gone (after a thaw and a cut: the frozen sessions end).</summary>
    public void WaitForNoSessions(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (Descendants(_daemon!.Id).Any())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"sshd sessions still running after {within.TotalSeconds} s");
            Thread.Sleep(100);
        }
    }

    private void Launch()
    {
        _daemon = Process.Start(new ProcessStartInfo("/usr/sbin/sshd", ["-D", "-e", "-f", Path.Combine(Dir, "sshd_config"), "-E", Log])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (_daemon.HasExited)
                throw new InvalidOperationException($"sshd exited {_daemon.ExitCode}: {File.ReadAllText(Log)}");
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                var banner = new byte[4];
                if (client.GetStream().Read(banner) == 4) return;
            }
            catch (SocketException)
            {
            }
            Thread.Sleep(50);
        }
        throw new TimeoutException($"sshd did not listen on {Port} within 10 s: {File.ReadAllText(Log)}");
    }

    private static IEnumerable<int> Descendants(int pid)
    {
        var children = File.Exists($"/proc/{pid}/task/{pid}/children")
            ? File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList()
            : [];
        return children.Concat(children.SelectMany(Descendants)).ToList();
    }

    private static void Kill(int pid, string signal) => Run("kill", "-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    internal static string Run(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0 && file != "kill") throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {error}");
        return output;
    }

    public void Dispose()
    {
        Stop();
        if (TestContext.CurrentContext.Result.FailCount == 0) Directory.Delete(Dir, true);
    }
}
