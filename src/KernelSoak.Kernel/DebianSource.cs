using System.Security.Cryptography;
using System.Text;
using KernelSoak.Processes;

namespace KernelSoak.Kernel;

/// <summary>
/// Debian's linux-source-X tarball unpacked once into the cache. The directory is keyed by the
/// tarball's size and mtime, the same key targets/qemu-arm64/build-kernel.sh uses, so both share it.
/// </summary>
public static class DebianSource
{
    public static string DirectoryFor(string tarball, string cacheDir)
    {
        if (!File.Exists(tarball))
            throw new FileNotFoundException($"kernel source {tarball} not found: apt-get install {Path.GetFileName(tarball).Replace(".tar.xz", "", StringComparison.Ordinal)}", tarball);
        var info = new FileInfo(tarball);
        var stamp = $"{info.Length}-{new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds()}\n";
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(stamp)))[..12];
        return Path.Combine(cacheDir, "src", $"linux-{id}");
    }

    /// <summary>The unpack <see cref="EnsureUnpackedAsync"/> runs (into directory.tmp, renamed when whole).</summary>
    public static CommandLine UnpackCommand(string tarball, string directory) =>
        CommandLine.Of("tar", "-xJf", tarball, "-C", directory + ".tmp", "--strip-components=1");

    /// <summary>Unpacks into a temporary directory and renames, so a killed unpack never looks done.</summary>
    public static async Task EnsureUnpackedAsync(string tarball, string directory, CommandRunner runner, CancellationToken cancellation = default)
    {
        if (File.Exists(Path.Combine(directory, "Makefile"))) return;
        var temp = directory + ".tmp";
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        var result = await runner.RunAsync(UnpackCommand(tarball, directory), cancellation: cancellation);
        if (!result.Succeeded) throw new InvalidOperationException($"unpacking {tarball} failed: {string.Join(" | ", result.Output.TakeLast(3))}");
        Directory.Move(temp, directory);
    }
}
