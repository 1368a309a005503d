using System.Diagnostics;

namespace KernelSoak.Boards.Qemu;

/// <summary>
/// The emulated board's power switch: on = start QEMU detached (it outlives this process), off = the
/// monitor's quit, reset = system_reset (RAM kept, so ramoops survives like a warm reset), freeze/thaw
/// = stop/cont (the board stops answering like a wedged one).
/// </summary>
public sealed class QemuPowerSwitch(QemuBoardFiles files) : IPowerSwitch
{
    public bool IsOn => Pid() is { } pid && IsAlive(pid);

    public async Task OnAsync(CancellationToken cancellation = default)
    {
        if (IsOn) return;
        if (!files.Exists) throw new InvalidOperationException($"no board in {files.Directory}: run ./build.sh --target=BoardUp");
        File.Delete(files.PidFile);
        var start = new ProcessStartInfo("setsid", ["-f", "sh", "-c", $"exec '{files.Launcher}' > '{Path.Combine(files.Directory, "qemu.out")}' 2>&1 < /dev/null"])
        {
            UseShellExecute = false,
        };
        using (var launcher = Process.Start(start)!) await launcher.WaitForExitAsync(cancellation);
        var watch = Stopwatch.StartNew();
        while (!(IsOn && File.Exists(files.MonitorSocket)))
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(15))
                throw new InvalidOperationException($"QEMU did not start: {Tail(Path.Combine(files.Directory, "qemu.out"))}");
            await Task.Delay(50, cancellation);
        }
    }

    public async Task OffAsync(CancellationToken cancellation = default)
    {
        if (Pid() is not { } pid || !IsAlive(pid)) return;
        try
        {
            await QemuMonitor.SendAsync(files.MonitorSocket, "quit", cancellation);
        }
        catch (System.Net.Sockets.SocketException)
        {
            // The monitor is gone but the process is not: fall through to the kill below.
        }
        var watch = Stopwatch.StartNew();
        while (IsAlive(pid) && watch.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50, cancellation);
        if (IsAlive(pid)) Process.GetProcessById(pid).Kill();
    }

    /// <summary>system_reset, then cont: a frozen (stopped) board takes the reset only once it runs again; on a running board 'cont' does nothing.</summary>
    public async Task ResetAsync(CancellationToken cancellation = default)
    {
        await Monitor("system_reset", cancellation);
        await Monitor("cont", cancellation);
    }

    public Task FreezeAsync(CancellationToken cancellation = default) => Monitor("stop", cancellation);
    public Task ThawAsync(CancellationToken cancellation = default) => Monitor("cont", cancellation);

    private async Task Monitor(string command, CancellationToken cancellation)
    {
        if (!IsOn) throw new InvalidOperationException($"the board in {files.Directory} is off");
        await QemuMonitor.SendAsync(files.MonitorSocket, command, cancellation);
    }

    private int? Pid() =>
        File.Exists(files.PidFile) && int.TryParse(File.ReadAllText(files.PidFile).Trim(), out var pid) ? pid : null;

    private static bool IsAlive(int pid)
    {
        // /proc/<pid>/stat's third field: Z = exited, waiting to be reaped (not on).
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat)) return false;
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string Tail(string path) =>
        File.Exists(path) ? string.Join(" | ", File.ReadLines(path).TakeLast(5)) : "(no output)";
}
