using KernelSoak.Campaigns;
using KernelSoak.Processes;

namespace KernelSoak.Kernel.Tests;

/// <summary>Debian's linux-source-6.1, unpacked once into the shared cache (as the board's build does).</summary>
public static class KernelTreeFixture
{
    public const string Tarball = "/usr/src/linux-source-6.1.tar.xz";

    public static string CacheDir =>
        Environment.GetEnvironmentVariable("KERNELSOAK_CACHE") is { Length: > 0 } c ? c
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "kernelsoak");

    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task<string> SourceAsync()
    {
        var dir = DebianSource.DirectoryFor(Tarball, CacheDir);
        await Gate.WaitAsync();
        try
        {
            await DebianSource.EnsureUnpackedAsync(Tarball, dir, new CommandRunner(new ProgressLog()));
        }
        finally
        {
            Gate.Release();
        }
        return dir;
    }

    public static KernelSpec Arm64(string localversion = "") => new()
    {
        Tree = "debian:linux-source-6.1", Arch = "arm64", CrossCompile = "aarch64-linux-gnu-", Localversion = localversion, Jobs = 2,
    };

    public sealed class ProgressLog : ICommandLog
    {
        public List<string> Commands { get; } = [];
        public void Started(CommandLine command) { Commands.Add(command.ToString()); TestContext.Progress.WriteLine($"$ {command}"); }
        public void Finished(CommandResult result) => TestContext.Progress.WriteLine($"  exit {result.ExitCode} in {result.Duration.TotalSeconds:0.0} s");
    }
}
