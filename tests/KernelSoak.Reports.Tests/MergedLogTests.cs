using KernelSoak.Reports;

namespace KernelSoak.Reports.Tests;

public class MergedLogTests
{
    [Test]
    public void Records_seen_on_both_channels_appear_once_and_the_ones_only_netconsole_had_are_kept_in_kernel_time_order()
    {
        string[] ssh = ["6,10,1000000,-;booted", " SUBSYSTEM=misc", "4,11,2000000,-;WARNING: CPU: 0 PID: 1 at x.c:1 f+0x0/0x4"];
        string[] netconsole = ["4,11,2000000,-;WARNING: CPU: 0 PID: 1 at x.c:1 f+0x0/0x4", "0,12,3500000,-;Kernel panic - not syncing: dumptest"];
        string[] console = ["[    2.500000] a console-only line"];
        var merged = MergedLog.Merge([("ssh", ssh), ("netconsole", netconsole), ("console", console)]);
        Assert.That(merged.Select(e => $"{e.Time} {string.Join('+', e.Sources)} {e.Text}"), Is.EqualTo(new[]
        {
            "1 ssh booted",
            "2 netconsole+ssh WARNING: CPU: 0 PID: 1 at x.c:1 f+0x0/0x4",
            "2.5 console a console-only line",
            "3.5 netconsole Kernel panic - not syncing: dumptest",
        }));
    }
}
