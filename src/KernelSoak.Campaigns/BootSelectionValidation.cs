using KernelSoak.Boot;

namespace KernelSoak.Campaigns;

/// <summary>What a boot selection needs from the campaign itself (what it needs from the board is preflight's).</summary>
internal static class BootSelectionValidation
{
    public static void Check(Campaign c, Func<string, string> at)
    {
        if (c.Install.BootSelection != BootSelection.Kexec) return;
        // kexec leaves nothing but the kernel's own panic reboot (or a power switch) to bring a dead test kernel back.
        if (c.Boot.PanicRebootS <= 0)
            throw new CampaignException($"{at("panic_reboot_s")}: boot.panic_reboot_s must be above 0 with boot_selection = \"kexec\" " +
                $"(panic=N is how a test kernel that dies reboots into {c.Install.DefaultLabel} by itself), not {c.Boot.PanicRebootS}");
        if (KernelCommandLine.PanicSeconds(string.Join(' ', c.Install.AppendExtra)) == 0)
            throw new CampaignException($"{at("panic=0")}: install.append_extra sets panic=0 (never reboot after a panic), but boot_selection = \"kexec\" " +
                $"relies on the panic reboot: drop it (KernelSoak adds panic={c.Boot.PanicRebootS}) or give panic=N with N > 0");
    }
}
