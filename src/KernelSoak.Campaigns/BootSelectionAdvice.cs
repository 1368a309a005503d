namespace KernelSoak.Campaigns;

/// <summary>What the lint says about a campaign's boot selection that is not an error.</summary>
public static class BootSelectionAdvice
{
    /// <summary>
    /// With kexec, the next probe's kernel is started from the kernel that runs then, often the last test
    /// kernel: without KEXEC of its own it cannot, and every probe costs a reboot into known-good first.
    /// Null when the campaign's config gives the test kernel KEXEC (or the selection is not kexec).
    /// </summary>
    public static string? KexecChain(Campaign c)
    {
        if (c.Install.BootSelection != BootSelection.Kexec) return null;
        var kexec = c.Config.LastOrDefault(o => o.Name is "KEXEC" or "CONFIG_KEXEC");
        return kexec is { Value: "y" } ? null
            : $"boot_selection = \"kexec\" and the test kernel's config {(kexec is null ? "does not set" : $"sets KEXEC={kexec.Value}, not")} KEXEC=y: " +
              $"a test kernel cannot start the next one, so each probe first reboots into {c.Install.DefaultLabel} (one boot longer). " +
              "Add [[config]] name = \"KEXEC\" value = \"y\" (arm64 needs SUSPEND for it) to kexec from test kernel to test kernel";
    }
}
