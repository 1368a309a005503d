using KernelSoak.Remote;

namespace KernelSoak.Boards.Strategy;

/// <summary>
/// The board's running system over SSH, for <see cref="BootStrategy"/>: the reboot (or the kexec jump,
/// after a load whose failure is reported) is started detached (the command returns before the link drops), and a new boot is one whose boot id differs (the old
/// kernel's sshd answers for a while after the request). The session of the boot that answered is
/// kept in <see cref="Answered"/> for the caller to adopt (no second handshake).
/// </summary>
/// <param name="session">the session to the running kernel (the run's own)</param>
/// <param name="sessionLost">called once the reboot is requested: the run's session is about to die</param>
public sealed class SshRunningSystem(SshEndpoint endpoint, Func<CancellationToken, Task<SshTarget>> session, Action? sessionLost = null) : IRunningSystem
{
    /// <summary>What reboots the board; the sleep lets the SSH command return first.</summary>
    public const string DetachedReboot = "(sleep 1; reboot) >/dev/null 2>&1 &";

    /// <summary>
    /// What jumps to the loaded kernel: <c>kexec -e</c> skips the shutdown (as a panic would), so the
    /// filesystems are synced first; detached like the reboot.
    /// </summary>
    public const string DetachedKexecExecute = "(sleep 1; sync; kexec -e) >/dev/null 2>&1 &";

    public string RebootCommand { get; init; } = DetachedReboot;

    /// <summary>kexec-tools' program (a test points it at a recorder of its arguments).</summary>
    public string KexecProgram { get; init; } = "kexec";

    public string KexecExecuteCommand { get; init; } = DetachedKexecExecute;

    /// <summary>The session of the last boot that answered; the caller owns it.</summary>
    public SshTarget? Answered { get; private set; }

    public async Task RequestRebootAsync(CancellationToken cancellation)
    {
        var ssh = Answered ?? await session(cancellation);
        await ssh.RunAsync(RebootCommand, TimeSpan.FromSeconds(10), cancellation);
        sessionLost?.Invoke();
    }

    public async Task RequestKexecAsync(KexecRequest request, CancellationToken cancellation)
    {
        // After a reboot into the default (kexec's fallback) the session of that boot, not a new handshake.
        var ssh = Answered ?? await session(cancellation);
        var load = await ssh.RunAsync(request.LoadCommand(KexecProgram), TimeSpan.FromSeconds(60), cancellation);
        if (!load.Succeeded)
            throw new KexecLoadException(load.Command, load.ExitCode, load.Error.Trim());
        await ssh.RunAsync(KexecExecuteCommand, TimeSpan.FromSeconds(10), cancellation);
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

/// <summary>The running kernel did not load the test kernel: nothing was started, the board still runs what it ran.</summary>
public sealed class KexecLoadException(string command, int exitCode, string error)
    : Exception($"'{command}' exited {exitCode}: {(error.Length > 0 ? error : "(no message)")}" + (exitCode == 127
        ? " — kexec-tools is not installed on the board (Debian: apt install kexec-tools; answer 'no' to handling reboots)"
        : " — does the running kernel have CONFIG_KEXEC, and are the paths right?"))
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>Neither the running kernel nor U-Boot's default one loads the test kernel: kexec is no way to boot it on this board (a set-up error, not a probe's).</summary>
public sealed class KexecUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
