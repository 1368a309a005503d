using KernelSoak.Remote.Tests;

namespace KernelSoak.Board.Tests;

/// <summary>
/// The emulated board reached the way a lab reaches a real one: its serial line as a real pty (socat
/// joins QEMU's serial socket to a pty device, so the tool opens a tty exactly as it opens a USB-UART),
/// that pty shared over TCP by a real ser2net, and its power behind a real pdudaemon whose localcmdline
/// driver talks to the board's monitor. Each daemon binds 127.0.0.1 and ends with this object.
/// </summary>
public sealed class LabLinks : IDisposable
{
    private readonly List<LabDaemon> _daemons = [];

    public LabLinks()
    {
        Dir = Directory.CreateTempSubdirectory("ks-lab-").FullName;
        var socat = LabDaemon.Require("socat", "socat");
        var files = BoardFixture.Board.Files;
        var bridge = Start(socat, "socat.log", "-d", "-d", $"pty,raw,echo=0,link={Tty}", $"UNIX-CONNECT:{files.SerialSocket}");
        bridge.WaitUntil(() => File.Exists(Tty), "the board's serial line as a pty");
    }

    public string Dir { get; }

    /// <summary>The board's serial line as a tty device.</summary>
    public string Tty => Path.Combine(Dir, "ttyBOARD");

    /// <summary>ser2net sharing <see cref="Tty"/> on a free port (telnet with RFC 2217, as labs configure it); the port.</summary>
    public int StartSer2Net()
    {
        var ser2net = LabDaemon.Require("ser2net", "ser2net");
        var port = LabDaemon.FreePort();
        var config = Path.Combine(Dir, "ser2net.yaml");
        File.WriteAllText(config, $"""
            %YAML 1.1
            ---
            connection: &board
              accepter: telnet(rfc2217),tcp,127.0.0.1,{port}
              connector: serialdev,{Tty},115200n81,local
              options:
                kickolduser: true

            """);
        Start(ser2net, "ser2net.log", "-n", "-u", "-c", config, "-P", Path.Combine(Dir, "ser2net.pid")).WaitForPort(port);
        return port;
    }

    /// <summary>pdudaemon on a free port with PDU "lab-pdu": off stops the board's CPUs, on resets and runs it (a power cut keeps RAM here, as ramoops needs); the port.</summary>
    public int StartPduDaemon()
    {
        var monitor = BoardFixture.Board.Files.MonitorSocket;
        var (daemon, port) = LabDaemon.StartPduDaemon(Dir,
            $"echo %s on >> {Dir}/outlet.log; printf 'system_reset\\ncont\\n' | nc -U -q1 {monitor}",
            $"echo %s off >> {Dir}/outlet.log; printf 'stop\\n' | nc -U -q1 {monitor}");
        _daemons.Add(daemon);
        return port;
    }

    /// <summary>What pdudaemon's driver switched, in order ("1 off", "1 on").</summary>
    public IReadOnlyList<string> OutletLog => File.Exists(Path.Combine(Dir, "outlet.log")) ? File.ReadAllLines(Path.Combine(Dir, "outlet.log")) : [];

    private LabDaemon Start(string program, string log, params string[] arguments)
    {
        var daemon = LabDaemon.Start(program, Path.Combine(Dir, log), arguments);
        _daemons.Add(daemon);
        return daemon;
    }

    public void Dispose()
    {
        foreach (var daemon in _daemons.AsEnumerable().Reverse()) daemon.Dispose();
        Directory.Delete(Dir, recursive: true);
    }
}
