namespace KernelSoak.Settings;

public enum BoardKind { Qemu, Ssh, Lava }
public enum PowerSwitchKind { Qemu, Command, Manual, None, PduDaemon }
public enum ConsoleKind { None, Qemu, Tty, Tcp }
public enum ConsoleProtocol { Raw, Telnet }

/// <summary>Everything cake.config can say, bound once (file → environment → arguments).</summary>
public sealed class KernelSoakSettings
{
    [Section("Board")] public BoardSettings Board { get; } = new();
    [Section("Power")] public PowerSettings Power { get; } = new();
    [Section("Console")] public ConsoleSettings Console { get; } = new();
    [Section("Campaign")] public CampaignSettings Campaign { get; } = new();
    [Section("Paths")] public PathSettings Paths { get; } = new();
    [Section("Netconsole")] public NetconsoleSettings Netconsole { get; } = new();
    [Section("Build")] public BuildSettings Build { get; } = new();
    [Section("Lava")] public LavaSettings Lava { get; } = new();

    /// <summary>Loads cake.config (if present) under <paramref name="root"/> and binds; returns the non-setting arguments.</summary>
    public static (KernelSoakSettings Settings, IReadOnlyList<KeyValuePair<string, string>> Arguments) Load(
        string root, IReadOnlyDictionary<string, string> environment, IReadOnlyList<KeyValuePair<string, string>> arguments)
    {
        var settings = new KernelSoakSettings();
        var path = Path.Combine(root, "cake.config");
        var entries = File.Exists(path) ? IniFile.Parse(File.ReadAllText(path), "cake.config") : [];
        var rest = SettingsBinder.Bind(settings, entries, environment, arguments);
        return (settings, rest);
    }
}

public sealed class BoardSettings
{
    /// <summary>qemu: the emulated board KernelSoak runs itself; ssh: a real board at Host; lava: each probe a job on [Lava]'s server.</summary>
    public BoardKind Kind { get; set; } = BoardKind.Qemu;

    /// <summary>A farm (LAVA): each probe is a job on one of its devices, so a search may run a round of them at once; nothing is installed over SSH.</summary>
    public bool IsFarm => Kind == BoardKind.Lava;
    public string Host { get; set; } = "127.0.0.1";
    [Range(1, 65535)] public int Port { get; set; } = 2222;
    public string User { get; set; } = "root";
    /// <summary>Private key; empty = the emulated board's own key.</summary>
    [HostPath] public string IdentityFile { get; set; } = "";
    /// <summary>Offer the keys of an ssh-agent first (OpenSSH's order), then IdentityFile if it exists.</summary>
    public bool Agent { get; set; }
    /// <summary>The agent's socket; empty = $SSH_AUTH_SOCK.</summary>
    [HostPath] public string AgentSocket { get; set; } = "";
    /// <summary>Pinned host key, "SHA256:…"; empty = use KnownHosts.</summary>
    public string HostKey { get; set; } = "";
    [HostPath] public string KnownHosts { get; set; } = "";
    /// <summary>Record an unknown host key on first use (never replaces a known one).</summary>
    public bool TrustOnFirstUse { get; set; }
    [Range(1, 600)] public int ConnectTimeoutSeconds { get; set; } = 10;
    /// <summary>Run board commands through <c>sudo -n</c> (for a User that is not root).</summary>
    public bool Sudo { get; set; }
    /// <summary>While a command runs, check this often that the board still answers.</summary>
    [Range(1, 3600)] public int KeepAliveSeconds { get; set; } = 10;
    /// <summary>No answer for this long: the board is frozen or the link is down (a clear error, never a hang).</summary>
    [Range(1, 3600)] public int DeadPeerSeconds { get; set; } = 30;
    /// <summary>A lost connection is retried with backoff for this long before the run stops.</summary>
    [Range(0, 86400)] public int ReconnectSeconds { get; set; } = 60;
    /// <summary>The emulated board's directory (images, sockets, console.log).</summary>
    [HostPath] public string Directory { get; set; } = ".board";
}

public sealed class PowerSettings
{
    public PowerSwitchKind Switch { get; set; } = PowerSwitchKind.Qemu;
    /// <summary>For Switch=command: a command line that power-cycles the board (USB relay, smart plug).</summary>
    public string CycleCommand { get; set; } = "";
    public string OffCommand { get; set; } = "";
    public string OnCommand { get; set; } = "";
    /// <summary>Off → on pause when there is no CycleCommand (and what a person is told to wait).</summary>
    [Range(0, 3600)] public int OffSeconds { get; set; } = 5;
    /// <summary>Switch=manual: how long to wait for the person to confirm.</summary>
    [Range(1, 10080)] public int ConfirmMinutes { get; set; } = 30;
    /// <summary>Switch=pdudaemon: where pdudaemon's HTTP listener is ("listener": "http" in its config).</summary>
    public string PduDaemonHost { get; set; } = "127.0.0.1";
    [Range(1, 65535)] public int PduDaemonPort { get; set; } = 16421;
    /// <summary>Switch=pdudaemon: the PDU's name as a key of "pdus" in pdudaemon's config (its hostname).</summary>
    public string Pdu { get; set; } = "";
    /// <summary>Switch=pdudaemon: the board's outlet on that PDU (pdudaemon's "port").</summary>
    public int PduOutlet { get; set; }
}

/// <summary>The board's serial console: none, the emulated board's socket, a tty (USB-UART) or TCP (ser2net).</summary>
public sealed class ConsoleSettings
{
    public ConsoleKind Kind { get; set; } = ConsoleKind.Qemu;
    /// <summary>Kind=tty: the device (a USB-UART; a pty works the same).</summary>
    public string Device { get; set; } = "/dev/ttyUSB0";
    /// <summary>Kind=tty: the line speed, 8N1 (1500000 is the RK3588's default); Kind=tcp + telnet: set over RFC 2217 when the server offers it.</summary>
    [Range(50, 4000000)] public int Baud { get; set; } = 1500000;
    /// <summary>Kind=tcp: the console server (ser2net's accepter).</summary>
    public string Host { get; set; } = "127.0.0.1";
    [Range(0, 65535)] public int Port { get; set; }
    /// <summary>Kind=tcp: raw bytes, or telnet (ser2net's telnet and telnet(rfc2217) accepters).</summary>
    public ConsoleProtocol Protocol { get; set; } = ConsoleProtocol.Raw;
    /// <summary>Pause after each typed character (a UART under a busy boot loader may drop characters sent back to back).</summary>
    [Range(0, 1000)] public int CharacterDelayMs { get; set; } = 20;
}

public sealed class CampaignSettings
{
    /// <summary>A name under campaigns/ or a path to a .toml file.</summary>
    [ArgumentAlias("campaign")]
    public string Name { get; set; } = "qemu-demo";
}

public sealed class PathSettings
{
    [WritableDirectory(allowEmpty: false)] public string Artifacts { get; set; } = "artifacts";
    /// <summary>Kernel trees and builds, keyed by config+source hash; empty = ~/.cache/kernelsoak.</summary>
    [WritableDirectory(allowEmpty: true)] public string Cache { get; set; } = "";
}

public sealed class NetconsoleSettings
{
    public bool Enabled { get; set; }
    /// <summary>The UDP port the host listens on (127.0.0.1 on the emulated board).</summary>
    [Range(1, 65535)] public int HostPort { get; set; } = 6666;
    public string HostAddress { get; set; } = "127.0.0.1";
    public string BoardInterface { get; set; } = "eth0";
    /// <summary>The host as the board addresses it (the emulated board's user network: 10.0.2.2 = the host's 127.0.0.1).</summary>
    public string TargetAddress { get; set; } = "10.0.2.2";
    /// <summary>The next hop's MAC for the board; empty = broadcast.</summary>
    public string TargetMac { get; set; } = "";
}

public sealed class BuildSettings
{
    /// <summary>distcc's host list (e.g. "build1/8 build2:3632/8"); empty = DISTCC_HOSTS if set, else no distcc.</summary>
    [DistccHostList] public string Distcc { get; set; } = "";

    /// <summary>The hosts to compile on: this setting, else the environment's DISTCC_HOSTS, else none.</summary>
    public DistccHosts HostsFor(IReadOnlyDictionary<string, string> environment) =>
        Distcc.Trim().Length > 0 ? DistccHosts.Parse(Distcc)
        : environment.TryGetValue("DISTCC_HOSTS", out var fromEnvironment) ? DistccHosts.Parse(fromEnvironment, "DISTCC_HOSTS") : DistccHosts.None;
}
