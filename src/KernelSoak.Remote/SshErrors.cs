namespace KernelSoak.Remote;

/// <summary>The board answered with another host key than the pinned one: a hard stop.</summary>
public sealed class HostKeyMismatchException(SshEndpoint endpoint, string expected, string actual)
    : Exception($"host key of {endpoint} changed: expected {expected}, got {actual}. If the board was reinstalled, " +
                $"remove its line from the known_hosts file or update the pinned key; otherwise someone else answers at that address")
{
    public string Expected { get; } = expected;
    public string Actual { get; } = actual;
}

/// <summary>The board's key is marked @revoked in known_hosts: refused whatever other lines say, as OpenSSH does.</summary>
public sealed class RevokedHostKeyException(SshEndpoint endpoint, string actual, string file, int line)
    : Exception($"host key of {endpoint} ({actual}) is revoked: {file} line {line} marks it @revoked, so it is refused even where another line " +
                "lists it. A revoked key was retired or leaked: give the board a new host key and record that one")
{
    public string Actual { get; } = actual;
    public int Line { get; } = line;
}

/// <summary>No pin and no known_hosts entry, and trust-on-first-use is off.</summary>
public sealed class UnknownHostKeyException(SshEndpoint endpoint, string actual)
    : Exception($"host key of {endpoint} is unknown ({actual}): pin it with [Board] HostKey = {actual}, " +
                "add it to a known_hosts file, or set [Board] TrustOnFirstUse = true to record it on first use")
{
    public string Actual { get; } = actual;
}

/// <summary>The board could not be reached at all (address, port, network, sshd down).</summary>
public sealed class BoardUnreachableException(SshEndpoint endpoint, string reason, Exception? inner = null)
    : Exception($"cannot reach the board at {endpoint}: {reason}. Check [Board] Host/Port (or BOARD_HOST/--board-host) and that the board is powered and booted", inner);

/// <summary>The connection went away under a running command (a cut link, the board's sshd killed, a reboot we did not ask for).</summary>
public sealed class BoardLinkLostException(SshEndpoint endpoint, string command, Exception inner)
    : Exception($"the connection to {endpoint} was lost while running '{Shorten(command)}' ({inner.Message}): the link or the board's sshd went away. " +
                "A half-sent file never replaces the board's copy; re-run when the board answers: finished steps are not redone", inner)
{
    /// <summary>Commands carry scripts and file lists: the message keeps their start.</summary>
    internal static string Shorten(string command) => command.Length <= 160 ? command : command[..160] + " …";
}

/// <summary>The connection is open but the board stopped answering (a wedged kernel, a frozen VM, a cut link).</summary>
public sealed class PeerFrozenException(SshEndpoint endpoint, string command, TimeSpan silent, string sign = "no reply to a keep-alive")
    : Exception($"{endpoint} stopped answering while running '{BoardLinkLostException.Shorten(command)}': {sign} for {silent.TotalSeconds:0} s. " +
                "The board is wedged or the link is down; power-cycle it ([Power] Switch) and re-run: finished steps are not redone")
{
}
