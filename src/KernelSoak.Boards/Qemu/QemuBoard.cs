using KernelSoak.Processes;
using KernelSoak.Remote;

namespace KernelSoak.Boards.Qemu;

/// <summary>
/// The emulated arm64 board as a whole: building it (kernel from the cache, images by make-board.sh),
/// its power switch, serial console and SSH endpoint with the board's pinned host key.
/// </summary>
public sealed class QemuBoard(string directory, string targetDir, int sshPort)
{
    public QemuBoardFiles Files { get; } = new(directory);
    public QemuPowerSwitch Power => new(Files);
    public SerialConsole Console => new(Files);

    /// <summary>Told every command run through <see cref="Endpoint"/> (see <see cref="SshEndpoint.OnCommand"/>).</summary>
    public Action<string>? OnCommand { get; init; }

    public SshEndpoint Endpoint => new("127.0.0.1", Files.Exists ? Files.SshPort : sshPort, "root", Files.IdentityFile)
    {
        KnownHostsFile = Files.KnownHosts,
        OnCommand = OnCommand,
    };

    /// <summary>Builds (or takes from the cache) the kernel, then the board images unless they are current.</summary>
    public async Task BuildAsync(CommandRunner runner, IReadOnlyDictionary<string, string?> environment, Action<string> onLine, CancellationToken cancellation = default)
    {
        var kernel = await runner.RunAsync(CommandLine.Of(Path.Combine(targetDir, "build-kernel.sh")), onLine, environment, cancellation);
        if (!kernel.Succeeded) throw new InvalidOperationException($"the board kernel did not build: {string.Join(" | ", kernel.Output.TakeLast(8))}");
        // The script's last stdout line is the cache directory (stderr lines interleave with it).
        var kernelDir = kernel.Output.LastOrDefault(line => line.StartsWith('/') && Directory.Exists(line.Trim()))?.Trim()
            ?? throw new InvalidOperationException("build-kernel.sh did not name its output directory");
        var stamp = Path.Combine(Files.Directory, "built-from");
        var want = $"{kernelDir} {sshPort} {File.GetLastWriteTimeUtc(Path.Combine(targetDir, "make-board.sh")):O}";
        if (Files.Exists && File.Exists(stamp) && File.ReadAllText(stamp) == want) return;
        if (Power.IsOn) await Power.OffAsync(cancellation);
        var env = new Dictionary<string, string?>(environment) { ["SSH_PORT"] = sshPort.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var board = await runner.RunAsync(CommandLine.Of(Path.Combine(targetDir, "make-board.sh"), Files.Directory, kernelDir), onLine, env, cancellation);
        if (!board.Succeeded) throw new InvalidOperationException($"the board images were not made: {string.Join(" | ", board.Output.TakeLast(8))}");
        await File.WriteAllTextAsync(stamp, want, cancellation);
    }

    /// <summary>
    /// Power on (if off) and wait until SSH answers with the pinned host key. A board that was already on
    /// and stays silent for the whole boot timeout (a panicked or wedged kernel) gets one hard reset.
    /// </summary>
    /// <param name="afterReset">runs right after that reset, given the console offset where the new boot starts (to pick a label at U-Boot's menu)</param>
    public async Task<SshTarget> UpAsync(TimeSpan timeout, CancellationToken cancellation = default, Action<string>? say = null, Func<long, Task>? afterReset = null)
    {
        var wasOn = Power.IsOn;
        await Power.OnAsync(cancellation);
        try
        {
            return await SshWait.UntilUpAsync(Endpoint, timeout, cancellation);
        }
        catch (TimeoutException) when (wasOn)
        {
            say?.Invoke($"the board is on but gave no SSH for {timeout.TotalSeconds:0} s (a panicked or wedged kernel?): hard reset");
            var offset = Console.Length;
            await Power.ResetAsync(cancellation);
            if (afterReset is not null) await afterReset(offset);
            return await SshWait.UntilUpAsync(Endpoint, timeout, cancellation);
        }
    }
}
