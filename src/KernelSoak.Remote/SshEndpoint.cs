namespace KernelSoak.Remote;

/// <summary>How to reach and trust a board over SSH.</summary>
public sealed record SshEndpoint(string Host, int Port, string User, string IdentityFile)
{
    /// <summary>Pinned "SHA256:…" fingerprint; wins over <see cref="KnownHostsFile"/>.</summary>
    public string PinnedHostKey { get; init; } = "";
    public string KnownHostsFile { get; init; } = "";
    /// <summary>Record an unknown host's key in KnownHostsFile (never replaces a known one).</summary>
    public bool TrustOnFirstUse { get; init; }
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>While a command runs, ask the board this often whether it still answers.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>No answer to a keep-alive within this long: the peer is frozen (or the link is down).</summary>
    public TimeSpan DeadPeerAfter { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>
    /// An ssh-agent's socket whose keys are offered before <see cref="IdentityFile"/> (as OpenSSH does);
    /// null: no agent; empty: an agent was asked for but none is known (SSH_AUTH_SOCK unset).
    /// </summary>
    public string? AgentSocket { get; init; }
    /// <summary>Run commands through <c>sudo -n</c> (a login that is not root).</summary>
    public bool Sudo { get; init; }
    /// <summary>
    /// Told every command run on the board, as "ssh user@host:port: command", before it runs (run.log keeps
    /// every external command line, the board's too). Keep-alive probes are not told.
    /// </summary>
    public Action<string>? OnCommand { get; init; }

    public override string ToString() => $"{User}@{Host}:{Port}";

    /// <summary>The known_hosts name OpenSSH uses: bare host on port 22, else [host]:port.</summary>
    public string KnownHostsName => Port == 22 ? Host : $"[{Host}]:{Port}";
}
