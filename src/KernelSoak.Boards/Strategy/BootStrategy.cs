using System.Diagnostics;
using KernelSoak.Boards.Consoles;
using KernelSoak.Reports;

namespace KernelSoak.Boards.Strategy;

/// <summary>
/// The boot of a test kernel as an explicit state machine (labgrid's strategy, for kernels that may not
/// come up): Off → BootLoader → LabelChosen → Kernel → Shell, watched on the console when there is one.
/// No answer in time escalates to a power cycle (PowerCycling → Off again, the known-good label chosen
/// when the default is the test label); a fatal report on the console ends the wait at once; every
/// failure goes through Recovering to NoBoot (the board answers again) or Stranded (it does not).
/// With kexec there is no boot loader on the way in (Off → Kernel → Shell); the way back after a
/// failure is U-Boot's default, known-good, reached by the kernel's own panic reboot or a power cycle.
/// Every move is in <see cref="BootOutcome.Trace"/>; the caller does the journal and the verdict.
/// </summary>
public sealed partial class BootStrategy(IRunningSystem system, IPowerSwitch? power, IConsole? console, Action<string>? say = null)
{
    private readonly Lock _gate = new();
    private readonly List<BootTransition> _trace = [];
    private readonly Stopwatch _clock = new();
    private BootState _state = BootState.Off;

    /// <summary>The report classes that end a boot at once (a panic by default; see <see cref="FatalReportWatch"/>).</summary>
    public IReadOnlySet<ReportClass> FatalClasses { get; init; } = FatalReportWatch.PanicOnly;

    /// <summary>How many console lines a no-boot quotes.</summary>
    public int TailLines { get; init; } = 15;

    /// <summary>Each move as it happens (for the run's output and journal).</summary>
    public event Action<BootTransition>? Moved;

    /// <summary>Every kernel report the console shows during the boot, fatal or not.</summary>
    public event Action<KernelReport>? ReportSeen;

    public BootState State
    {
        get { lock (_gate) return _state; }
    }

    /// <summary>Reboots (or kexecs) the running board into <see cref="BootRequest.Label"/>'s kernel and follows it to an outcome.</summary>
    public async Task<BootOutcome> BootAsync(BootRequest request, CancellationToken cancellation = default)
    {
        if (request.Selection == LabelSelection.ConsoleMenu && console is null)
            throw new InvalidOperationException("boot_selection = serial-menu needs a serial console ([Console] Kind = tty, tcp or qemu); without one use kexec, flip-default or manual");
        if (request.Selection == LabelSelection.Kexec && (request.Kexec is null || request.DefaultIsTestLabel))
            throw new InvalidOperationException("boot_selection = kexec needs a kexec request (image, command line) and the known-good label as the default: nothing else brings a dead test kernel back");
        lock (_gate)
        {
            _trace.Clear();
            _state = BootState.Off;
        }
        _clock.Restart();
        var offset = console?.Length ?? 0;
        var throughBootLoader = request.Kexec is null || request.Selection != LabelSelection.Kexec;
        if (throughBootLoader)
        {
            await system.RequestRebootAsync(cancellation);
            Move(BootState.Off, "reboot requested from the running kernel");
        }
        else
            (request, offset) = await KexecAsync(request, cancellation);
        if (request.Selection == LabelSelection.Person)
            say?.Invoke($"at the board's U-Boot menu, choose '{request.Label}' now; waiting up to {request.BootTimeout.TotalSeconds:0} s for it to answer");
        var choose = request.Selection == LabelSelection.ConsoleMenu ? request.Label : null;
        for (var cycle = 0; ; cycle++)
        {
            var attempt = await AttemptAsync(request, offset, choose, cancellation, throughBootLoader: throughBootLoader);
            switch (attempt)
            {
                case Answered { System: var up } when up.Release == request.Release:
                    Move(BootState.Shell, $"{up.Release} answers (boot id {up.BootId})");
                    return Outcome(BootState.Shell, up, null, $"booted {up.Release}", null, "");
                case Answered { System: var up }:
                    var wrong = $"the board came up on {up.Release}, not {request.Release}: the test kernel did not boot";
                    Move(BootState.NoBoot, wrong);
                    return Outcome(BootState.NoBoot, up, NoBootCause.WrongKernel, wrong, null, Tail(offset));
                case Died { Report: var report }:
                    var died = $"{request.Release} died during boot: {report.Title}";
                    Move(BootState.Recovering, died);
                    return await RecoverAsync(request, NoBootCause.Panic, died, report, Tail(offset), waitFirst: request.RebootsAfterPanic || power is null, cycles: request.PowerCycles, cancellation);
                case NotInMenu { Error: var error }:
                    Move(BootState.Recovering, error.Message);
                    // U-Boot boots its default once its menu times out: wait for that first.
                    return await RecoverAsync(request, NoBootCause.LabelNotInMenu, error.Message, null, Tail(offset), waitFirst: true, cycles: request.PowerCycles, cancellation);
                case Silent when cycle < request.PowerCycles && power is not null:
                    Move(BootState.PowerCycling, $"no answer within {request.BootTimeout.TotalSeconds:0} s: power cycle {cycle + 1}/{request.PowerCycles}");
                    offset = console?.Length ?? 0;
                    await power.ResetAsync(cancellation);
                    Move(BootState.Off, "power reset");
                    // With the test label as the default, the board would boot it again: take the known-good one.
                    choose = request.DefaultIsTestLabel && console is not null ? request.KnownGoodLabel : null;
                    throughBootLoader = true;
                    continue;
                case Silent { Detail: var detail }:
                    var silent = $"{request.Release} did not answer within {request.BootTimeout.TotalSeconds:0} s after {cycle} power cycle(s): {detail}";
                    Move(BootState.Recovering, silent);
                    return await RecoverAsync(request, NoBootCause.Timeout, silent, null, Tail(offset), waitFirst: true, cycles: 0, cancellation);
            }
        }
    }

    /// <summary>
    /// Starts the test kernel by kexec from the running one. The running kernel may be an earlier test
    /// kernel without KEXEC: then the board reboots into U-Boot's default (known-good) and kexecs from
    /// there; returns the request with that boot as the one to leave behind, and the console offset the
    /// test kernel's boot starts at (taken before the jump, so its first lines are not missed).
    /// </summary>
    private async Task<(BootRequest, long)> KexecAsync(BootRequest request, CancellationToken cancellation)
    {
        var kexec = request.Kexec!; // BootAsync refused a kexec selection without one
        string Started(string from) => $"kexec of {kexec.Image} requested from {from} (no boot loader; the default stays {request.KnownGoodLabel})";
        var offset = console?.Length ?? 0;
        try
        {
            await system.RequestKexecAsync(kexec, cancellation);
            Move(BootState.Off, Started("the running kernel"));
            return (request, offset);
        }
        catch (KexecLoadException refused)
        {
            say?.Invoke($"the running kernel did not load the test kernel ({refused.Message}): rebooting into the default label {request.KnownGoodLabel} to kexec from there");
        }
        await system.RequestRebootAsync(cancellation);
        Move(BootState.Off, $"reboot into the default label {request.KnownGoodLabel} requested: the running kernel cannot kexec");
        if (await AttemptAsync(request, console?.Length ?? 0, null, cancellation, recovery: true) is not Answered { System: var known })
            throw new KexecUnavailableException($"the board did not answer within {request.BootTimeout.TotalSeconds:0} s of its reboot into {request.KnownGoodLabel} " +
                "(taken to kexec from there): power-cycle it, then re-run");
        offset = console?.Length ?? 0;
        try
        {
            await system.RequestKexecAsync(kexec, cancellation);
        }
        catch (KexecLoadException refused)
        {
            throw new KexecUnavailableException($"{known.Release} (label {request.KnownGoodLabel}, U-Boot's default) did not load it either: {refused.Message}. " +
                "If that kernel has no KEXEC, boot_selection = \"kexec\" cannot work on this board (use manual, or flip-default with panic=N); " +
                "otherwise check the test label's files", refused);
        }
        Move(BootState.Off, Started(known.Release));
        return (request with { PreviousBootId = known.BootId }, offset);
    }

    /// <summary>The test kernel failed: bring the board back on a kernel that answers, by itself first when it can, then by power cycles.</summary>
    private async Task<BootOutcome> RecoverAsync(BootRequest request, NoBootCause cause, string detail, KernelReport? report, string tail,
        bool waitFirst, int cycles, CancellationToken cancellation)
    {
        if (waitFirst)
        {
            var offset = console?.Length ?? 0;
            if (await AttemptAsync(request, offset, null, cancellation, recovery: true) is Answered back)
                return Back(back.System);
        }
        for (var cycle = 0; cycle < cycles && power is not null; cycle++)
        {
            Move(BootState.PowerCycling, $"recovery: power cycle {cycle + 1}/{cycles}");
            var offset = console?.Length ?? 0;
            await power.ResetAsync(cancellation);
            Move(BootState.Off, "power reset");
            var choose = request.DefaultIsTestLabel && console is not null ? request.KnownGoodLabel : null;
            if (await AttemptAsync(request, offset, choose, cancellation, recovery: true) is Answered back)
                return Back(back.System);
        }
        var stranded = $"{detail}; the board did not come back: " + (request.DefaultIsTestLabel
            ? $"its default is still the test label {request.Label}: at U-Boot's menu choose {request.KnownGoodLabel}, then re-run"
            : $"power-cycle it (at U-Boot's menu choose {request.KnownGoodLabel}), then re-run");
        Move(BootState.Stranded, stranded);
        return Outcome(BootState.Stranded, null, cause, stranded, report, tail);

        BootOutcome Back(BootedSystem up)
        {
            Move(BootState.NoBoot, $"the board is back on {up.Release} (boot id {up.BootId})");
            return Outcome(BootState.NoBoot, up, cause, detail, report, tail);
        }
    }

    private BootOutcome Outcome(BootState final, BootedSystem? up, NoBootCause? cause, string detail, KernelReport? report, string tail)
    {
        lock (_gate) return new BootOutcome(final, up, cause, detail, report, tail, [.. _trace]);
    }

    private string Tail(long offset) => console is null ? "(no console)" : ConsoleText.Tail(console.ReadFrom(offset), TailLines);

    private void Move(BootState to, string why)
    {
        BootTransition transition;
        lock (_gate)
        {
            transition = new BootTransition(_state, to, why, _clock.Elapsed);
            _state = to;
            _trace.Add(transition);
        }
        Moved?.Invoke(transition);
    }
}
