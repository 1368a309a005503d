namespace KernelSoak.Settings;

public enum BoardKind { Qemu, Ssh }
public enum PowerSwitchKind { Qemu, Command, Manual, None }

/// <summary>Everything cake.config can say, bound once (file → environment → arguments).</summary>
public sealed class KernelSoakSettings
{
    [Section("Board")] public BoardSettings Board { get; } = new();
    [Section("Power")] public PowerSettings Power { get; } = new();
    [Section("Campaign")] public CampaignSettings Campaign { get; } = new();
    [Section("Paths")] public PathSettings Paths { get; } = new();
    [Section("Netconsole")] public NetconsoleSettings Netconsole { get; } = new();

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
    /// <summary>qemu: the emulated board KernelSoak runs itself; ssh: a real board at Host.</summary>
    public BoardKind Kind { get; set; } = BoardKind.Qemu;
    public string Host { get; set; } = "127.0.0.1";
    [Range(1, 65535)] public int Port { get; set; } = 2222;
    public string User { get; set; } = "root";
    /// <summary>Private key; empty = the emulated board's own key.</summary>
    public string IdentityFile { get; set; } = "";
    /// <summary>Offer the keys of an ssh-agent first (OpenSSH's order), then IdentityFile if it exists.</summary>
    public bool Agent { get; set; }
    /// <summary>The agent's socket; empty = $SSH_AUTH_SOCK.</summary>
    public string AgentSocket { get; set; } = "";
    /// <summary>Pinned host key, "SHA256:…"; empty = use KnownHosts.</summary>
    public string HostKey { get; set; } = "";
    public string KnownHosts { get; set; } = "";
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
    public string Directory { get; set; } = ".board";
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
