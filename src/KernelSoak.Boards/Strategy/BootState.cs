using KernelSoak.Reports;

namespace KernelSoak.Boards.Strategy;

/// <summary>Where a boot is (labgrid's strategy states, for a board whose kernel may not come up).</summary>
public enum BootState
{
    /// <summary>The boot was started (a reboot or kexec requested, the power switched on or reset); nothing seen yet.</summary>
    Off,
    /// <summary>U-Boot's menu is up ("Enter choice:").</summary>
    BootLoader,
    /// <summary>U-Boot took the label (our choice, or its default when nothing is chosen) and loads its files.</summary>
    LabelChosen,
    /// <summary>A kernel is starting ("Starting kernel ...", "Linux version").</summary>
    Kernel,
    /// <summary>The board answers on the expected kernel: booted (terminal).</summary>
    Shell,
    /// <summary>No answer in time: the power switch resets the board.</summary>
    PowerCycling,
    /// <summary>The test kernel failed: waiting for the board to come back on its known-good label.</summary>
    Recovering,
    /// <summary>Verdict no-boot, the board back on a kernel that answers (terminal).</summary>
    NoBoot,
    /// <summary>The board did not come back: a person must act (terminal).</summary>
    Stranded,
}

/// <summary>Why the test kernel is judged not to boot.</summary>
public enum NoBootCause { Panic, WrongKernel, Timeout, LabelNotInMenu }

/// <summary>How the test label is chosen at U-Boot.</summary>
public enum LabelSelection
{
    /// <summary>Typed at U-Boot's menu over the console (serial-menu).</summary>
    ConsoleMenu,
    /// <summary>The board boots its default, which was made the test label beforehand (flip-default).</summary>
    BoardDefault,
    /// <summary>A person at the board picks it (manual).</summary>
    Person,
    /// <summary>
    /// No boot loader: the running kernel loads the test kernel and jumps to it (kexec). The board's default
    /// stays known-good, so a test kernel that dies and reboots (panic=N) or is power-cycled comes back on it.
    /// </summary>
    Kexec,
}

/// <summary>A kernel that answers: its release (uname -r) and boot id.</summary>
public sealed record BootedSystem(string Release, string BootId);

/// <summary>One step of the machine, with why and when (since the boot started).</summary>
public sealed record BootTransition(BootState From, BootState To, string Why, TimeSpan At);

/// <summary>
/// What to boot and how: the test kernel's release and label, the known-good label to recover on, the
/// selection method, whether the board's default is (for now) the test label, the boot id before the
/// reboot, the wait for an answer, and how many power cycles to try before giving up.
/// </summary>
public sealed record BootRequest(
    string Release,
    string Label,
    string KnownGoodLabel,
    LabelSelection Selection,
    bool DefaultIsTestLabel,
    string PreviousBootId,
    TimeSpan BootTimeout,
    int PowerCycles)
{
    /// <summary>The kernel reboots by itself after a panic (panic=N on its command line): recovery waits for that before cycling the power.</summary>
    public bool PanicReboots { get; init; }
    /// <summary>How long U-Boot's menu may take to appear after the boot starts (the board's reset and firmware included).</summary>
    public TimeSpan MenuTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>With <see cref="LabelSelection.Kexec"/>: what the running kernel loads and executes instead of a reboot.</summary>
    public KexecRequest? Kexec { get; init; }
    /// <summary>The test kernel reboots by itself after a panic: said so (<see cref="PanicReboots"/>) or panic=N on the kexec command line.</summary>
    public bool RebootsAfterPanic => PanicReboots || Kexec is { PanicReboots: true };
}

/// <summary>How the boot ended: the state (Shell, NoBoot, Stranded), the system that answers, and for a no-boot its cause, report and the console's last lines.</summary>
public sealed record BootOutcome(
    BootState Final,
    BootedSystem? System,
    NoBootCause? Cause,
    string Detail,
    KernelReport? Report,
    string ConsoleTail,
    IReadOnlyList<BootTransition> Trace)
{
    public bool Booted => Final == BootState.Shell;
}

/// <summary>The board's running system, as the strategy needs it (SSH in the tool: reboot or kexec, then wait for a new boot id).</summary>
public interface IRunningSystem
{
    /// <summary>Asks the running kernel to reboot (returns once asked, not once down).</summary>
    Task RequestRebootAsync(CancellationToken cancellation);

    /// <summary>
    /// Loads <paramref name="request"/>'s kernel into the running one and starts it (returns once it is loaded
    /// and the jump is asked for, not once down); a load that fails throws, and nothing was changed.
    /// </summary>
    Task RequestKexecAsync(KexecRequest request, CancellationToken cancellation);

    /// <summary>Waits until a boot other than <paramref name="previousBootId"/> answers; <see cref="TimeoutException"/> when none does in time.</summary>
    Task<BootedSystem> WaitForNewBootAsync(string previousBootId, TimeSpan timeout, CancellationToken cancellation);
}
