using System.Globalization;
using KernelSoak.Boot;
using KernelSoak.Journal;

namespace KernelSoak.Deploy;

/// <summary>The board's extlinux default, as far as a flip needs it (<see cref="KernelInstaller"/> on a real board).</summary>
public interface IBootDefault
{
    /// <summary>The label U-Boot boots now, its menu number, and the line that decides it.</summary>
    Task<(string Label, int MenuNumber, string Reason)> BootedLabelAsync(CancellationToken cancellation = default);

    /// <summary>Makes the label the default; null when it already was.</summary>
    Task<(string Previous, int PreviousMenuNumber)?> SetDefaultAsync(string label, CancellationToken cancellation = default);
}

/// <summary>A flip the journal says may be in force: the label to go back to and its U-Boot menu number ("?" when unknown).</summary>
public sealed record PendingFlip(string Previous, string MenuNumber);

/// <summary>
/// boot_selection = flip-default, journalled so that no kill can strand the board on a test label: the
/// intent (with the default it replaces) is in the journal, fsynced, before the board's file changes; the
/// flip is recorded done after. An intent without its done — a kill, or a reply lost after the board
/// wrote the file — counts as a flip in force: the next restore reads the board and puts the previous
/// default back (a no-op when the change never happened). The restore itself needs no intent: until its
/// "restored" is written the flip stays pending, and setting a default is idempotent.
/// </summary>
public sealed class DefaultFlipJournal(RunJournal journal, IBootDefault board, Action<string> say)
{

    public async Task FlipAsync(string step, string label, CancellationToken cancellation = default)
    {
        var (booted, number, _) = await board.BootedLabelAsync(cancellation);
        if (booted == label) return;
        var previous = new Dictionary<string, string> { ["previous"] = booted, ["menu_number"] = number.ToString(CultureInfo.InvariantCulture), ["label"] = label };
        journal.Note(step, NoteKind.FlipIntent, previous);
        var flip = await board.SetDefaultAsync(label, cancellation);
        if (flip is { } f && f.Previous != booted)
            throw new ExtlinuxException($"the board's default changed from {booted} to {f.Previous} while flipping it: another run is using this board? The journal keeps {booted} to restore");
        journal.Note(step, NoteKind.DefaultFlipped, previous);
        say($"temporary: the default label is {label} for this reboot; {booted} comes back once the kernel is verified");
    }

    /// <summary>The flip still (possibly) in force, if any.</summary>
    public PendingFlip? Pending => PendingIn(journal);

    /// <summary>The flip the journal says may be in force (reading it needs no board).</summary>
    public static PendingFlip? PendingIn(RunJournal journal)
    {
        var last = journal.Entries.LastOrDefault(e => e.NoteKind is NoteKind.FlipIntent or NoteKind.DefaultFlipped or NoteKind.DefaultRestored);
        return last is { NoteKind: NoteKind.FlipIntent or NoteKind.DefaultFlipped, Outputs: { } o } && o.TryGetValue("previous", out var previous)
            ? new PendingFlip(previous, o.GetValueOrDefault("menu_number") ?? "?") : null;
    }

    /// <summary>
    /// Preflight's word on the default: U-Boot must boot the campaign's default_label (what every no-boot
    /// and every restore falls back to), unless a flip of ours that the journal still holds is what moved it.
    /// </summary>
    public static (bool Passed, string Detail) CheckDefault(ExtlinuxConfig config, string defaultLabel, PendingFlip? pending)
    {
        var booted = config.DefaultLabel?.Name;
        if (booted == defaultLabel) return (true, $"boots {booted} ({config.DefaultReason})");
        if (pending is { } p && p.Previous == defaultLabel)
            return (true, $"boots {booted} ({config.DefaultReason}) from a flip an earlier run did not restore: {defaultLabel} goes back now");
        return (false, $"U-Boot boots {booted} ({config.DefaultReason}), not the campaign's default_label {defaultLabel}: make {defaultLabel} the board's default, or set install.default_label = \"{booted}\"");
    }

    /// <summary>Puts the previous default back when a flip is (possibly) in force; false when none was.</summary>
    public async Task<bool> RestoreAsync(string why, CancellationToken cancellation = default)
    {
        if (Pending is not { } pending) return false;
        var changed = await board.SetDefaultAsync(pending.Previous, cancellation);
        journal.Note("boot", NoteKind.DefaultRestored, new Dictionary<string, string> { ["default"] = pending.Previous });
        say(changed is null ? $"default label {pending.Previous} was already in force ({why}): nothing to change" : $"default label {pending.Previous} restored ({why})");
        return true;
    }
}
