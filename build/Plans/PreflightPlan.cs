using KernelSoak.Steps;

namespace KernelSoak.Build.Plans;

/// <summary>The checks before anything is changed (the seed plan's pre-flight and R7, R8, R11).</summary>
public static class PreflightPlan
{
    public const string Capability = "SSH preflight checks (issue: Preflight + InstallKernel)";

    public static IEnumerable<Step> Steps(BuildContext c)
    {
        var install = c.Campaign.Install;
        var b = c.Board;
        yield return Step.Pending("preflight/ssh", $"SSH reachable at {b.Address}, host key pinned", Capability,
            b.Ssh("true"));
        yield return Step.Pending("preflight/identity", "board arch and running release", Capability,
            b.Ssh("uname -m; uname -r; cat /proc/sys/kernel/random/boot_id"));
        yield return Step.Pending("preflight/boot-space", $"{install.BootDir} mounted, writable, room for Image+DTB+initramfs (≥ {install.MinFreeMb} MB)", Capability,
            b.Ssh($"mountpoint -q {install.BootDir} && test -w {install.BootDir} && df -B1 --output=avail {install.BootDir}"));
        yield return Step.Pending("preflight/extlinux", $"{install.Extlinux} parses; labels {string.Join(", ", new[] { install.DefaultLabel }.Concat(install.FallbackLabels))} exist", Capability,
            b.Ssh($"cat {install.Extlinux}"));
        yield return Step.Pending("preflight/ramoops", "ramoops region does not collide with /proc/iomem reservations (R8)", Capability,
            b.Ssh("cat /proc/cmdline /proc/iomem; ls /sys/fs/pstore"));
        yield return Step.Pending("preflight/tools", "depmod and the initramfs tool exist", Capability,
            b.Ssh($"command -v depmod{InitramfsProbe(c)}"));
    }

    private static string InitramfsProbe(BuildContext c) => c.Campaign.Install.Initramfs switch
    {
        Campaigns.InitramfsTool.Mkinitcpio => " mkinitcpio",
        Campaigns.InitramfsTool.Dracut => " dracut",
        Campaigns.InitramfsTool.UpdateInitramfs => " update-initramfs",
        _ => "",
    };
}
