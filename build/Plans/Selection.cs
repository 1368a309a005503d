using KernelSoak.Boards.Strategy;
using KernelSoak.Campaigns;

namespace KernelSoak.Build.Plans;

/// <summary>The campaign's boot_selection as the boot strategy names it.</summary>
public static class Selection
{
    public static LabelSelection For(BootSelection selection) => selection switch
    {
        BootSelection.SerialMenu => LabelSelection.ConsoleMenu,
        BootSelection.FlipDefault => LabelSelection.BoardDefault,
        BootSelection.Manual => LabelSelection.Person,
        BootSelection.Kexec => LabelSelection.Kexec,
        _ => throw new ArgumentOutOfRangeException(nameof(selection), selection, null),
    };
}
