using System.Diagnostics;
using KernelSoak.Remote;

namespace KernelSoak.Bench;

/// <summary>Raw throughput of one stream into a board command (no hashing, no rename): where a copy's time goes.</summary>
public static class PipeBench
{
    public static async Task<int> RunAsync(string boardDir, string file, string remoteCommand, int bufferKiB)
    {
        var (_, endpoint) = BenchBoard.At(boardDir);
        using var ssh = await SshTarget.ConnectAsync(endpoint);
        var watch = Stopwatch.StartNew();
        var result = await ssh.RunWithInputAsync(remoteCommand, async s =>
        {
            await using var local = File.OpenRead(file);
            await local.CopyToAsync(s, bufferKiB * 1024);
        }, TimeSpan.FromMinutes(10));
        Console.WriteLine($"ssh.net ({ssh.Cipher}, {bufferKiB} KiB writes) '{remoteCommand}': {watch.Elapsed.TotalSeconds:0.00} s, exit {result.ExitCode}");
        return result.ExitCode;
    }
}
