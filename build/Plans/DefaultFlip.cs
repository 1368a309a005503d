using KernelSoak.Deploy;

namespace KernelSoak.Build.Plans;

/// <summary>
/// boot_selection = flip-default: the test label becomes extlinux's default for one reboot, and the old
/// default comes back as soon as the kernel is verified — or, when it never boots, as soon as the board
/// answers again (this run after recovery, or the next run's preflight). <see cref="DefaultFlipJournal"/>
/// journals the intent before the board's file changes, so a kill in between still gets restored.
/// </summary>
public static class DefaultFlip
{
    private static async Task<DefaultFlipJournal> JournalAsync(BuildContext c) =>
        new(c.Journal, new KernelInstaller(await c.BoardAsync(), InstallPlan.Layout(c), c.Output.Info), c.Output.Info);

    public static async Task FlipAsync(BuildContext c, string step, CancellationToken ct) =>
        await (await JournalAsync(c)).FlipAsync(step, c.Campaign.Install.Label, ct);

    /// <summary>The flip still (possibly) in force, if any: its previous default and that label's U-Boot menu number.</summary>
    public static (string Previous, string MenuNumber)? Pending(BuildContext c) =>
        DefaultFlipJournal.PendingIn(c.Journal) is { } p ? (p.Previous, p.MenuNumber) : null;

    public static async Task RestoreAsync(BuildContext c, string why, CancellationToken ct)
    {
        if (Pending(c) is null) return; // no SSH session for nothing
        await (await JournalAsync(c)).RestoreAsync(why, ct);
    }
}
