using KernelSoak.Campaigns;
using KernelSoak.Steps;

namespace KernelSoak.Build.Plans;

/// <summary>Put a built kernel on the board (the seed plan's steps 1.4–1.7), verified and idempotent.</summary>
public static class InstallPlan
{
    public const string Capability = "rsync-style deploy and extlinux editor (issue: Preflight + InstallKernel)";

    public static IEnumerable<Step> Steps(BuildContext c, string prefix = "install")
    {
        var i = c.Campaign.Install;
        var b = c.Board;
        var release = PlanText.Release(c);
        var staging = Path.Combine(c.Kernel.BuildDir, "staging", "lib", "modules");
        var image = PlanText.BootFile(c, i.Image, release);
        yield return Step.Pending($"{prefix}/modules", $"sync /lib/modules/{release} (changed files only, stale ones deleted)", Capability,
            $"tar -C {staging} -cf - {release} | {b.Ssh($"mkdir -p /lib/modules/.ks-{release} && tar -C /lib/modules/.ks-{release} -xf - && rm -rf /lib/modules/{release} && mv /lib/modules/.ks-{release}/{release} /lib/modules/{release}")}",
            b.Ssh($"depmod {release}"));
        yield return Step.Pending($"{prefix}/image", $"copy Image to {image}", Capability,
            $"{b.Ssh($"cat > {image}.tmp && sync && mv {image}.tmp {image}")} < {Path.Combine(c.Kernel.BuildDir, "arch", c.Campaign.Kernel.Arch, "boot", "Image")}");
        if (i.Dtb.Length > 0)
        {
            var dtb = PlanText.BootFile(c, i.DtbName, release);
            yield return Step.Pending($"{prefix}/dtb", $"copy {Path.GetFileName(i.Dtb)} to {dtb}", Capability,
                $"{b.Ssh($"cat > {dtb}.tmp && mv {dtb}.tmp {dtb}")} < {Path.Combine(c.Kernel.BuildDir, "arch", c.Campaign.Kernel.Arch, "boot", "dts", i.Dtb)}");
        }
        if (i.Initramfs != InitramfsTool.None)
        {
            var initrd = PlanText.BootFile(c, i.InitramfsName, release);
            var command = i.Initramfs switch
            {
                InitramfsTool.Mkinitcpio => $"mkinitcpio -k {release} -g {initrd}",
                InitramfsTool.Dracut => $"dracut --force --kver {release} {initrd}",
                _ => $"update-initramfs -c -k {release} -b {i.BootDir}",
            };
            yield return Step.Pending($"{prefix}/initramfs", $"initramfs for {release}", Capability, b.Ssh(command));
        }
        yield return Step.Pending($"{prefix}/extlinux", $"label {i.Label} → {release}; default stays {i.DefaultLabel}; fallbacks {string.Join(", ", i.FallbackLabels)} kept", Capability,
            b.Ssh($"cp {i.Extlinux} {i.Extlinux}.kernelsoak-<timestamp>"),
            $"{b.Ssh($"cat > {i.Extlinux}.tmp && sync && mv {i.Extlinux}.tmp {i.Extlinux}")} < <edited extlinux.conf: label {i.Label}, append = {i.DefaultLabel}'s + {string.Join(" ", i.AppendExtra)}>");
        yield return Step.Pending($"{prefix}/verify", "sha256 of every copied file on the board", Capability,
            b.Ssh($"sha256sum {image} && find /lib/modules/{release} -type f -exec sha256sum {{}} +"));
    }
}
