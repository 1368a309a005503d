using KernelSoak.Deploy;
using KernelSoak.Journal;

namespace KernelSoak.Build.Plans;

/// <summary>
/// boot_selection = flip-default: the test label becomes extlinux's default for one reboot, and the old
/// default comes back as soon as the kernel is verified — or, when it never boots, as soon as the board
/// answers again (this run after recovery, or the next run's preflight). Both moves are in the journal.
/// </summary>
public static class DefaultFlip
{
    private const string Flipped = "default flipped";
    private const string Restored = "default restored";

    public static async Task FlipAsync(BuildContext c, string step, CancellationToken ct)
    {
        var installer = new KernelInstaller(await c.BoardAsync(), InstallPlan.Layout(c), c.Output.Info);
        if (await installer.SetDefaultAsync(c.Campaign.Install.Label, ct) is not { } flip) return;
        c.Journal.Note(step, Flipped, new Dictionary<string, string> { ["previous"] = flip.Previous, ["menu_number"] = flip.PreviousMenuNumber.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        c.Output.Info($"temporary: the default label is {c.Campaign.Install.Label} for this reboot; {flip.Previous} comes back once the kernel is verified");
    }

    /// <summary>The flip still in force, if any: its previous default and that label's U-Boot menu number.</summary>
    public static (string Previous, string MenuNumber)? Pending(BuildContext c)
    {
        var last = c.Journal.Entries.LastOrDefault(e => e.Event == JournalEvent.Note && e.Note is Flipped or Restored);
        return last is { Note: Flipped, Outputs: { } o } ? (o["previous"], o.GetValueOrDefault("menu_number") ?? "?") : null;
    }

    public static async Task RestoreAsync(BuildContext c, string why, CancellationToken ct)
    {
        if (Pending(c) is not { } pending) return;
        var installer = new KernelInstaller(await c.BoardAsync(), InstallPlan.Layout(c), c.Output.Info);
        await installer.SetDefaultAsync(pending.Previous, ct);
        c.Journal.Note("boot", Restored, new Dictionary<string, string> { ["default"] = pending.Previous });
        c.Output.Info($"default label {pending.Previous} restored ({why})");
    }

    /// <summary>What a person at a board that keeps booting the flipped default must do.</summary>
    public static string Instruction(BuildContext c) => Pending(c) is { } p
        ? $"the board's default is still the test label {c.Campaign.Install.Label}: at U-Boot's menu choose {p.MenuNumber} ({p.Previous}), then re-run — the next run restores the default"
        : $"at U-Boot's menu choose '{c.Campaign.Install.DefaultLabel}' (the default label), then re-run";
}
