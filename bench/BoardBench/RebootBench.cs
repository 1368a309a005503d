using System.Diagnostics;
using KernelSoak.Boards.Qemu;
using KernelSoak.Remote;

namespace KernelSoak.Bench;

/// <summary>
/// Reboot-cycle overhead: from the moment the rebooted board can take an SSH login (its serial console
/// shows dropbear started and the kernel's RNG ready: dropbear waits for it before accepting) to the moment
/// the waiter holds a session on the new boot. Cycles alternate between KernelSoak's wait (SshWait.UntilNewBootAsync,
/// the one BootPlan uses) and what a user types by hand (`until ssh board cat boot_id | grep -v old;
/// do sleep 1; done`). Probing sshd directly is not an option here: each probe makes dropbear fork a child,
/// which takes ~1 s under TCG, so a prober slows the very boot it measures.
/// </summary>
public static class RebootBench
{
    public static async Task<int> RunAsync(string boardDir, int cycles)
    {
        var (files, endpoint) = BenchBoard.At(boardDir);
        var ours = new List<double>();
        var byHand = new List<double>();
        for (var i = 0; i < 2 * cycles; i++)
        {
            var tool = i % 2 == 0;
            string before;
            using (var ssh = await SshTarget.ConnectAsync(endpoint))
                before = (await ssh.CheckAsync("cat /proc/sys/kernel/random/boot_id")).Trim();
            var offset = new FileInfo(files.ConsoleLog).Length;
            var ready = Task.Run(() => SshReadyOnConsole(files, offset));
            using (var ssh = await SshTarget.ConnectAsync(endpoint))
                await ssh.RunAsync("(sleep 1; reboot) >/dev/null 2>&1 &", TimeSpan.FromSeconds(10));
            var session = tool ? await OursAsync(endpoint, before) : await ByHandAsync(boardDir, before);
            var lag = (session - await ready).TotalSeconds;
            (tool ? ours : byHand).Add(lag);
            Console.WriteLine($"cycle {i + 1} ({(tool ? "KernelSoak" : "by hand")}): a session on the new boot {lag:0.00} s after the board could take a login");
        }
        double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
        // What one session costs on a board that is up (handshake + auth + one read): the part of the lag
        // no waiter can avoid.
        var sessionOurs = new List<double>();
        var sessionByHand = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            var boot = await SshWait.UntilNewBootAsync(endpoint, "none", TimeSpan.FromSeconds(30));
            sessionOurs.Add(watch.Elapsed.TotalSeconds);
            boot.Session.Dispose();
            watch.Restart();
            await ByHandAsync(boardDir, "none");
            sessionByHand.Add(watch.Elapsed.TotalSeconds);
        }
        Console.WriteLine($"one session on a board that is up: KernelSoak median {Median(sessionOurs):0.00} s, ssh by hand median {Median(sessionByHand):0.00} s");
        Console.WriteLine($"tool overhead per reboot cycle beyond one session: {Median(ours) - Median(sessionOurs):0.00} s (by hand: {Median(byHand) - Median(sessionByHand):0.00} s)");
        Console.WriteLine($"reboot-cycle lag (board ready for SSH → session on the new boot): KernelSoak median {Median(ours):0.00} s (max {ours.Max():0.00}), " +
                          $"by hand (ssh loop, sleep 1) median {Median(byHand):0.00} s (max {byHand.Max():0.00}); ratio {Median(ours) / Median(byHand):0.00}, over {ours.Count}+{byHand.Count} reboots");
        return 0;
    }

    // Exactly the wait BootPlan uses after it issues a reboot.
    private static async Task<DateTime> OursAsync(SshEndpoint endpoint, string before)
    {
        var boot = await SshWait.UntilNewBootAsync(endpoint, before, TimeSpan.FromMinutes(3));
        var at = DateTime.UtcNow;
        boot.Session.Dispose();
        return at;
    }

    private static async Task<DateTime> ByHandAsync(string boardDir, string before)
    {
        var loop = $"until ssh -F {boardDir}/ssh_config -o ConnectTimeout=5 board cat /proc/sys/kernel/random/boot_id 2>/dev/null | grep -qv {before}; do sleep 1; done";
        using var p = Process.Start(new ProcessStartInfo("bash", ["-c", loop]))!;
        await p.WaitForExitAsync();
        return DateTime.UtcNow;
    }

    /// <summary>Host time at which the console showed both dropbear listening and the RNG ready, after <paramref name="offset"/>.</summary>
    private static DateTime SshReadyOnConsole(QemuBoardFiles files, long offset)
    {
        DateTime? listening = null, random = null;
        var console = new SerialConsole(files);
        while (listening is null || random is null)
        {
            var text = console.ReadFrom(offset);
            var restart = text.IndexOf("Restarting system", StringComparison.Ordinal);
            if (restart >= 0)
            {
                var booted = text[restart..];
                if (listening is null && booted.Contains("Not backgrounding", StringComparison.Ordinal)) listening = DateTime.UtcNow;
                if (random is null && booted.Contains("crng init done", StringComparison.Ordinal)) random = DateTime.UtcNow;
            }
            Thread.Sleep(20);
        }
        return listening > random ? listening.Value : random.Value;
    }
}
