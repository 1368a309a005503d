using KernelSoak.Remote;

namespace KernelSoak.Boards.Strategy;

/// <summary>
/// The board's running system over SSH, for <see cref="BootStrategy"/>: the reboot is started detached
/// (the command returns before the link drops), and a new boot is one whose boot id differs (the old
/// kernel's sshd answers for a while after the request). The session of the boot that answered is
/// kept in <see cref="Answered"/> for the caller to adopt (no second handshake).
/// </summary>
/// <param name="session">the session to the running kernel (the run's own)</param>
/// <param name="sessionLost">called once the reboot is requested: the run's session is about to die</param>
public sealed class SshRunningSystem(SshEndpoint endpoint, Func<CancellationToken, Task<SshTarget>> session, Action? sessionLost = null) : IRunningSystem
{
    /// <summary>What reboots the board; the sleep lets the SSH command return first.</summary>
    public string RebootCommand { get; init; } = "(sleep 1; reboot) >/dev/null 2>&1 &";

    /// <summary>The session of the last boot that answered; the caller owns it.</summary>
    public SshTarget? Answered { get; private set; }

    public async Task RequestRebootAsync(CancellationToken cancellation)
    {
        var ssh = await session(cancellation);
        await ssh.RunAsync(RebootCommand, TimeSpan.FromSeconds(10), cancellation);
        sessionLost?.Invoke();
    }

    public async Task<BootedSystem> WaitForNewBootAsync(string previousBootId, TimeSpan timeout, CancellationToken cancellation)
    {
        var up = await SshWait.UntilNewBootAsync(endpoint, previousBootId, timeout, cancellation);
        Answered?.Dispose();
        Answered = up.Session;
        return new BootedSystem(up.Release, up.BootId);
    }
}
