using KernelSoak.Steps;

namespace KernelSoak.Build.Plans;

/// <summary>Collect everything a crash leaves behind; erase pstore only after the copies verify.</summary>
public static class HarvestPlan
{
    public const string Capability = "harvest (issue: Stress + live monitor + Harvest)";

    public static IEnumerable<Step> Steps(BuildContext c, string prefix)
    {
        var b = c.Board;
        var dir = Path.Combine(c.ArtifactsDir, prefix.Replace('/', Path.DirectorySeparatorChar));
        yield return Step.Pending($"{prefix}/pstore", "copy /sys/fs/pstore and /var/lib/systemd/pstore, verify sha256, then erase the records", Capability,
            $"{b.Ssh("tar -C / -cf - sys/fs/pstore var/lib/systemd/pstore 2>/dev/null")} | tar -C {dir} -xf -",
            b.Ssh("sha256sum /sys/fs/pstore/*"), b.Ssh("rm /sys/fs/pstore/<verified records>"));
        yield return Step.Pending($"{prefix}/logs", "kernel logs of this and the previous boot, cmdline, iomem, running config", Capability,
            $"{b.Ssh("journalctl -k -b -1 --no-pager")} > {dir}/journal-prev-boot.txt",
            $"{b.Ssh("dmesg")} > {dir}/dmesg.txt",
            $"{b.Ssh("cat /proc/cmdline /proc/iomem")} > {dir}/proc.txt",
            $"{b.Ssh("zcat /proc/config.gz")} > {dir}/running.config");
        yield return Step.Pending($"{prefix}/classify", "classify every report found (SSH stream, netconsole, serial, pstore) into titles", Capability,
            $"./build.sh --target=Classify --log={dir}/dmesg.txt");
    }
}
