namespace KernelSoak.Boot;

/// <summary>What the run asks of the board's extlinux.conf before and after it changes it.</summary>
public static class ExtlinuxQueries
{
    /// <summary>Whether U-Boot, reading this extlinux.conf, finds the label booting that kernel file (an unreadable file: it does not).</summary>
    public static bool BootsImage(string extlinux, string label, string kernel)
    {
        try
        {
            return ExtlinuxConfig.Parse(extlinux).Labels.Any(l => l.Name == label && l.Kernel == kernel);
        }
        catch (ExtlinuxException)
        {
            return false;
        }
    }

    /// <summary>The label other than the default whose kernel file names the running release (an earlier probe's test kernel), if one does.</summary>
    public static string? LabelRunning(ExtlinuxConfig config, string defaultLabel, string release)
    {
        bool Runs(ExtlinuxLabel l) => l.Kernel?.EndsWith(release, StringComparison.Ordinal) == true; // Image-{release}: "6.12.0" is not "6.12.0-kasan"
        return config.Labels.Any(l => l.Name == defaultLabel && Runs(l)) ? null : config.Labels.FirstOrDefault(l => l.Name != defaultLabel && Runs(l))?.Name;
    }
}
