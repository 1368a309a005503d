using KernelSoak.Boards.Qemu;
using KernelSoak.Remote;
using KernelSoak.Settings;

namespace KernelSoak.Boards;

/// <summary>
/// Where [Board] says the board is: the emulated board this tool runs itself (its own files give the SSH
/// endpoint, the console socket and the power switch), or a board reached over SSH as the settings say
/// (a real one, or a LAVA lab's, which the host reaches the same way for its preflight).
/// </summary>
public sealed class BoardSite
{
    private readonly BoardSettings _board;
    private readonly string _identityFile;
    private readonly string _home;
    private readonly Func<string, string?> _environment;
    private readonly Action<string>? _onCommand;

    /// <param name="emulatedTargetDir">targets/qemu-arm64: the scripts that build and start the emulated board.</param>
    /// <param name="home">The user's home (~/.ssh/known_hosts when [Board] KnownHosts is empty).</param>
    /// <param name="onCommand">told every command run on the board through <see cref="Endpoint"/> (the run's log)</param>
    public BoardSite(BoardSettings board, string boardDir, string emulatedTargetDir, string identityFile, string home, Func<string, string?> environment,
        Action<string>? onCommand = null)
    {
        _onCommand = onCommand;
        _board = board;
        _identityFile = identityFile;
        _home = home;
        _environment = environment;
        // A new QemuBoard per site, as cheap as its paths: what it reads (the port file) is read when asked.
        Emulated = board.Kind == BoardKind.Qemu ? new QemuBoard(boardDir, emulatedTargetDir, board.Port) { OnCommand = onCommand } : null;
    }

    /// <summary>The emulated board, when [Board] Kind = qemu.</summary>
    public QemuBoard? Emulated { get; }

    public SshEndpoint Endpoint => Emulated?.Endpoint ?? new SshEndpoint(_board.Host, _board.Port, _board.User, _identityFile)
    {
        PinnedHostKey = _board.HostKey,
        KnownHostsFile = _board.KnownHosts.Length > 0 ? _board.KnownHosts : Path.Combine(_home, ".ssh", "known_hosts"),
        TrustOnFirstUse = _board.TrustOnFirstUse,
        AgentSocket = !_board.Agent ? null : _board.AgentSocket.Length > 0 ? _board.AgentSocket : _environment("SSH_AUTH_SOCK") ?? "",
        ConnectTimeout = TimeSpan.FromSeconds(_board.ConnectTimeoutSeconds),
        KeepAlive = TimeSpan.FromSeconds(_board.KeepAliveSeconds),
        DeadPeerAfter = TimeSpan.FromSeconds(_board.DeadPeerSeconds),
        Sudo = _board.Sudo,
        OnCommand = _onCommand,
    };

}
