using KernelSoak.Boards.Strategy;
using KernelSoak.Campaigns;

namespace KernelSoak.Soak;

/// <summary>How a boot step starts, given what the board runs and what the journal says.</summary>
public enum BootStart
{
    /// <summary>The board runs this build, booted after this step's own reboot (the host was killed while waiting): verify, no second reboot.</summary>
    AlreadyBooted,
    /// <summary>This very Image has run since a verified boot and module reload is allowed: only modules can differ, reload them (a reboot if that fails).</summary>
    ReloadModules,
    Reboot,
}

/// <summary>What follows the boot strategy's outcome.</summary>
public enum BootEnd
{
    /// <summary>A shell on some kernel: prove it is the test kernel (release, config, smoke tests).</summary>
    Verify,
    /// <summary>The test kernel did not come up and the board is back on a kernel that does: verdict no-boot.</summary>
    NoBoot,
    /// <summary>Manual selection came up on another kernel: only the person knows whether it died or the label was missed; then no-boot.</summary>
    AskPersonThenNoBoot,
    /// <summary>No kernel answers: no verdict, the user must bring the board back.</summary>
    Stranded,
}

/// <param name="Release">The build's release.</param>
/// <param name="ImageSha">The build's Image sha256.</param>
/// <param name="Running">uname -r of the board now.</param>
/// <param name="RunningBootId">The board's boot id now.</param>
public sealed record BootFacts(string Release, string ImageSha, string Running, string RunningBootId);

/// <summary>The boot step's decisions, free of SSH and consoles: the step asks, then does what it is told.</summary>
public static class BootPolicy
{
    public static BootStart Start(BootFacts now, RebootNote? thisStepsReboot, string? verifiedImageOfThisBoot, bool allowModuleReload)
    {
        if (thisStepsReboot?.Image == now.ImageSha && now.Running == now.Release && now.RunningBootId != thisStepsReboot.BootId)
            return BootStart.AlreadyBooted;
        if (allowModuleReload && now.Running == now.Release && verifiedImageOfThisBoot == now.ImageSha)
            return BootStart.ReloadModules;
        return BootStart.Reboot;
    }

    public static BootEnd End(BootOutcome outcome, BootSelection selection) => outcome.Final switch
    {
        BootState.Shell => BootEnd.Verify,
        BootState.NoBoot when selection == BootSelection.Manual && outcome.Cause == NoBootCause.WrongKernel => BootEnd.AskPersonThenNoBoot,
        BootState.NoBoot => BootEnd.NoBoot,
        _ => BootEnd.Stranded,
    };

    /// <summary>
    /// Waiting for the boot a killed run's reboot started: a new boot id is it; a board that keeps the old one
    /// for <see cref="SameBootGrace"/> never got the reboot (the boot step issues it again).
    /// </summary>
    public static bool NewBootOrNeverRebooted(RebootNote reboot, string bootId, TimeSpan sameBootFor) =>
        bootId != reboot.BootId || sameBootFor > SameBootGrace;

    public static readonly TimeSpan SameBootGrace = TimeSpan.FromSeconds(20);

    /// <summary>The campaign's boot_selection as the boot strategy names it.</summary>
    public static LabelSelection LabelSelectionOf(BootSelection selection) => selection switch
    {
        BootSelection.SerialMenu => LabelSelection.ConsoleMenu,
        BootSelection.FlipDefault => LabelSelection.BoardDefault,
        BootSelection.Manual => LabelSelection.Person,
        BootSelection.Kexec => LabelSelection.Kexec,
        _ => throw new ArgumentOutOfRangeException(nameof(selection), selection, null),
    };
}
