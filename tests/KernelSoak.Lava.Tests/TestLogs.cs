namespace KernelSoak.Lava.Tests;

/// <summary>Real LAVA 2023.01 job logs (testdata/), and variants of them made by editing single entries.</summary>
internal static class TestLogs
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "testdata", name));

    /// <summary>The job of testdata/complete-clean.yaml (LavaJobTests' clean probe): two steps side by side, 15 s and 10 s.</summary>
    public static Jobs.LavaJob CleanJob => Jobs.LavaJob.Create("kernelsoak clean probe", "qemu", Jobs.QemuMachine.Arm64Virt(),
        new Jobs.JobImages(new Uri("http://127.0.0.1:18765/Image"), RootDisk: new Uri("http://127.0.0.1:18765/rootfs.ext4")),
        ["console=ttyAMA0,115200", "root=/dev/vda", "rw", "rootwait", "init=/init"], "/ # ",
        [new Jobs.StressStep("uname-loop", "uname -r; cat /proc/loadavg; sleep 1", TimeSpan.FromSeconds(15)),
         new Jobs.StressStep("meminfo", "cat /proc/meminfo >/dev/null; sleep 2", TimeSpan.FromSeconds(10))], Jobs.JobTimeouts.ForTcg);

    /// <summary>A log entry of the board's console, as LAVA writes one.</summary>
    public static string Console(string time, string text) => $"- {{\"dt\": \"{time}\", \"lvl\": \"target\", \"msg\": {System.Text.Json.JsonSerializer.Serialize(text)}}}";

    /// <summary>The clean log with <paramref name="lines"/> printed on the console after the stress's first pass (at its time, 19:02:50.505163).</summary>
    public static string WithConsole(string log, params string[] lines)
    {
        var entries = log.Split('\n').ToList();
        var at = entries.FindIndex(e => e.Contains("\"lvl\": \"target\", \"msg\": \"ks-exit=", StringComparison.Ordinal));
        var time = entries[at].Split('"')[3];
        entries.InsertRange(at + 1, lines.Select(l => Console(time, l)));
        return string.Join('\n', entries);
    }

    /// <summary>The log with LAVA's final "job" result replaced.</summary>
    public static string WithJobResult(string log, string result, string? errorType, string message = "the error")
    {
        var entries = log.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        var at = entries.FindLastIndex(e => e.Contains("\"case\": \"job\"", StringComparison.Ordinal));
        var error = errorType is null ? "" : $", \"error_msg\": \"{message}\", \"error_type\": \"{errorType}\"";
        entries[at] = $"- {{\"dt\": \"2026-12-02T18:28:04.555353\", \"lvl\": \"results\", \"msg\": {{\"case\": \"job\", \"definition\": \"lava\"{error}, \"result\": \"{result}\"}}}}";
        return string.Join('\n', entries) + "\n";
    }

    public static readonly string[] Warning =
    [
        "[   40.100000] ------------[ cut here ]------------",
        "[   40.100001] WARNING: CPU: 1 PID: 97 at drivers/misc/lkdtm/bugs.c:83 lkdtm_WARNING+0x10/0x20 [lkdtm]",
        "[   40.100002] Modules linked in: lkdtm",
        "[   40.100003] CPU: 1 PID: 97 Comm: sh Not tainted 6.1.192-lockdep-kasan #1",
        "[   40.100004] Hardware name: linux,dummy-virt (DT)",
        "[   40.100005] pc : lkdtm_WARNING+0x10/0x20 [lkdtm]",
        "[   40.100006] lr : lkdtm_do_action+0x24/0x40 [lkdtm]",
        "[   40.100007] Call trace:",
        "[   40.100008]  lkdtm_WARNING+0x10/0x20 [lkdtm]",
        "[   40.100009]  lkdtm_do_action+0x24/0x40 [lkdtm]",
        "[   40.100010]  direct_entry+0x124/0x1c0 [lkdtm]",
        "[   40.100011]  full_proxy_write+0x6c/0xb0",
        "[   40.100012]  vfs_write+0x12c/0x3e0",
        "[   40.100013] ---[ end trace 0000000000000000 ]---",
    ];
}
