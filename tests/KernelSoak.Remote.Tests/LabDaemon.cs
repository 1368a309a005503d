using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace KernelSoak.Remote.Tests;

/// <summary>
/// A lab daemon (socat, ser2net, pdudaemon) started by a test as a child process and ended with it; a test
/// whose daemon is not installed is ignored with the Debian package that brings it.
/// </summary>
public sealed class LabDaemon : IDisposable
{
    private readonly Process _process;
    private readonly string _log;

    private LabDaemon(Process process, string log)
    {
        _process = process;
        _log = log;
    }

    /// <summary>The program on PATH, or the test is ignored naming the package to install.</summary>
    public static string Require(string program, string package)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Concat(["/usr/sbin", "/sbin"]).Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
        if (found is null) Assert.Ignore($"{program} is not installed: apt-get install {package} (scripts/setup-host.sh installs it)");
        return found!;
    }

    public static LabDaemon Start(string program, string log, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        var writer = new StreamWriter(log, append: true) { AutoFlush = true };
        var gate = new Lock();
        void Write(string? line)
        {
            if (line is null) return;
            lock (gate) writer.WriteLine(line);
        }
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new LabDaemon(process, log);
    }

    /// <summary>
    /// pdudaemon on a free 127.0.0.1 port with one PDU, "lab-pdu", whose localcmdline driver runs the given shell
    /// lines (Python's % formats them with the outlet for %s, so a literal % is %%); the daemon and its port.
    /// </summary>
    public static (LabDaemon Daemon, int Port) StartPduDaemon(string dir, string cmdOn, string cmdOff)
    {
        var program = Require("pdudaemon", "pdudaemon");
        var port = FreePort();
        var config = Path.Combine(dir, "pdudaemon.conf");
        File.WriteAllText(config, $$"""
            {
              "daemon": { "hostname": "127.0.0.1", "port": {{port}}, "logging_level": "DEBUG", "listener": "http" },
              "pdus": { "lab-pdu": { "driver": "localcmdline", "cmd_on": {{System.Text.Json.JsonSerializer.Serialize(cmdOn)}}, "cmd_off": {{System.Text.Json.JsonSerializer.Serialize(cmdOff)}} } }
            }
            """);
        var daemon = Start(program, Path.Combine(dir, "pdudaemon.log"), "--conf", config);
        try
        {
            daemon.WaitForPort(port);
        }
        catch
        {
            daemon.Dispose(); // a daemon that never listened is not left behind
            throw;
        }
        return (daemon, port);
    }

    public string Output => File.Exists(_log) ? File.ReadAllText(_log) : "";

    /// <summary>Waits until <paramref name="ready"/> holds; fails with the daemon's output when it exits or takes too long.</summary>
    public void WaitUntil(Func<bool> ready, string what, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        while (!ready())
        {
            if (_process.HasExited) Assert.Fail($"{what}: the daemon exited ({_process.ExitCode}): {Output}");
            if (watch.Elapsed > (timeout ?? TimeSpan.FromSeconds(20))) Assert.Fail($"{what}: not ready after {watch.Elapsed.TotalSeconds:0} s: {Output}");
            Thread.Sleep(50);
        }
    }

    public void WaitForPort(int port) => WaitUntil(() => Accepts(port), $"nothing listens on 127.0.0.1:{port}");

    public static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process.Dispose();
    }
}
