using System.Diagnostics;
using System.Net.Sockets;
using KernelSoak.Remote;

namespace KernelSoak.Bench;

/// <summary>
/// Tool overhead per reboot cycle: from the moment the board's sshd first answers (a raw TCP probe every
/// 20 ms reading the SSH banner) to the moment KernelSoak's wait for the board returns a verified session.
/// </summary>
public static class RebootBench
{
    public static async Task<int> RunAsync(string boardDir, int cycles)
    {
        var (files, endpoint) = BenchBoard.At(boardDir);
        var overheads = new List<double>();
        for (var i = 0; i < cycles; i++)
        {
            using (var ssh = await SshTarget.ConnectAsync(endpoint))
                await ssh.RunAsync("(sleep 1; reboot) >/dev/null 2>&1 &", TimeSpan.FromSeconds(10));
            await Task.Delay(3000); // going down
            var clock = Stopwatch.StartNew();
            var banner = Task.Run(() => FirstBanner(files.SshPort, clock));
            using var up = await SshWait.UntilUpAsync(endpoint, TimeSpan.FromMinutes(3));
            var noticed = clock.Elapsed;
            var answered = await banner;
            overheads.Add((noticed - answered).TotalSeconds);
            Console.WriteLine($"cycle {i + 1}: sshd answered at {answered.TotalSeconds:0.00} s, KernelSoak had a session at {noticed.TotalSeconds:0.00} s: overhead {(noticed - answered).TotalSeconds:0.00} s");
        }
        Console.WriteLine($"reboot-cycle overhead (sshd up → session): median {overheads.Order().ElementAt(overheads.Count / 2):0.00} s, max {overheads.Max():0.00} s over {overheads.Count}");
        return 0;
    }

    private static TimeSpan FirstBanner(int port, Stopwatch clock)
    {
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", port);
                client.ReceiveTimeout = 200;
                var buffer = new byte[4];
                if (client.GetStream().Read(buffer) == 4 && buffer[0] == (byte)'S') return clock.Elapsed;
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
            }
            Thread.Sleep(20);
        }
    }
}
