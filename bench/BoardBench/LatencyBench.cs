using System.Diagnostics;
using System.Net;
using KernelSoak.Netconsole;
using KernelSoak.Remote;
using KernelSoak.Reports;
using KernelSoak.Soak;

namespace KernelSoak.Bench;

/// <summary>
/// Detection latency: from the moment the host asks the board to printk a WARNING (lkdtm) to the report
/// event, over the SSH kernel-log stream and over netconsole. An upper bound of printk → event: it
/// includes the SSH round trip that triggers the WARNING.
/// </summary>
public static class LatencyBench
{
    public static async Task<int> RunAsync(string boardDir, int udpPort)
    {
        var (_, endpoint) = BenchBoard.At(boardDir);
        var dir = Directory.CreateTempSubdirectory("ks-latency-").FullName;
        using var ssh = await SshTarget.ConnectAsync(endpoint);
        using var monitorSsh = await SshTarget.ConnectAsync(endpoint);
        await ssh.CheckAsync("modprobe lkdtm; dmesg -c >/dev/null");
        var seen = new Dictionary<string, TimeSpan>();
        var watch = new Stopwatch();
        void OnReport(KernelReport r)
        {
            lock (seen) seen.TryAdd(r.Source, watch.Elapsed);
        }
        using var stop = new CancellationTokenSource();
        var monitor = new KernelLogMonitor(monitorSsh, Path.Combine(dir, "kmsg.log"), "ssh", OnReport);
        await using var netconsole = await NetconsoleChannel.StartAsync(ssh,
            new NetconsoleWatch(new IPEndPoint(IPAddress.Loopback, udpPort), new NetconsoleTarget("eth0", "10.0.2.2", udpPort)), dir, OnReport, _ => { }, CancellationToken.None);
        var monitoring = monitor.RunAsync(stop.Token);
        await Task.Delay(3000); // the monitor replays the boot's log first
        var ssh_ = new List<double>();
        var nc = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            lock (seen) seen.Clear();
            watch.Restart();
            await ssh.CheckAsync("echo WARNING > /sys/kernel/debug/provoke-crash/DIRECT");
            for (var t = 0; t < 100 && seen.Count < 2; t++) await Task.Delay(20);
            lock (seen)
            {
                if (seen.TryGetValue("ssh", out var a)) ssh_.Add(a.TotalSeconds);
                if (seen.TryGetValue("netconsole", out var b)) nc.Add(b.TotalSeconds);
            }
            await Task.Delay(1500); // a quiet gap: each WARNING its own report
        }
        await stop.CancelAsync();
        await netconsole.StopAsync(ssh);
        try { await monitoring; } catch (OperationCanceledException) { }
        string Stats(List<double> xs) => xs.Count == 0 ? "none seen" : $"median {xs.Order().ElementAt(xs.Count / 2):0.00} s, max {xs.Max():0.00} s over {xs.Count}";
        Console.WriteLine($"detection latency, lkdtm WARNING → report event: ssh /dev/kmsg {Stats(ssh_)}; netconsole {Stats(nc)}");
        return 0;
    }
}
