using System.Security.Cryptography;
using KernelSoak.Processes;
using KernelSoak.Remote;

namespace KernelSoak.Deploy;

/// <summary>
/// ks-sha256: sha256 with the ARMv8 SHA-2 instructions, a 3 KiB static program without libc, for arm64
/// boards whose sha256sum is busybox's plain C — under the emulator that was 3 s of every 13 MiB Image
/// copy (read back and hashed), as much as the copy's distance from a bare <c>ssh cat</c>. Built on the
/// host with the campaign's cross compiler, put in /run/kernelsoak on the board when its CPU has sha2,
/// self-tested there; anything else keeps the board's own sha256sum.
/// </summary>
public static class FastSha256
{
    public const string RemotePath = "/run/kernelsoak/ks-sha256";

    /// <summary>The hashing command every board-side check uses: the helper when it is there, else sha256sum.</summary>
    public const string Command = $"$(command -v {RemotePath} || echo sha256sum)";

    public static string Source()
    {
        using var stream = typeof(FastSha256).Assembly.GetManifestResourceStream("KernelSoak.Deploy.native.ks-sha256.c")!;
        return new StreamReader(stream).ReadToEnd();
    }

    /// <summary>Compiles the helper with <paramref name="crossCompile"/>gcc into <paramref name="cacheDir"/> (once per source); null when that fails.</summary>
    public static async Task<string?> BuildAsync(string crossCompile, string cacheDir, CommandRunner runner, CancellationToken cancellation = default)
    {
        var source = Source();
        var id = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(crossCompile + source)))[..16];
        var binary = Path.Combine(cacheDir, $"ks-sha256-{id}");
        if (File.Exists(binary)) return binary;
        Directory.CreateDirectory(cacheDir);
        var file = Path.Combine(cacheDir, $"ks-sha256-{id}.c");
        await File.WriteAllTextAsync(file, source, cancellation);
        try
        {
            var result = await runner.RunAsync(new CommandLine(crossCompile + "gcc",
                ["-O2", "-march=armv8-a+crypto", "-static", "-nostdlib", "-ffreestanding", "-fno-stack-protector", "-o", binary + ".tmp", file]), cancellation: cancellation);
            if (!result.Succeeded) return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null; // no such compiler: the board's sha256sum it is
        }
        File.Move(binary + ".tmp", binary, overwrite: true);
        return binary;
    }

    /// <summary>
    /// Board-side shell, the helper on its stdin: on an aarch64 board with sha2 it lands in /run/kernelsoak
    /// (if not there already) and must hash "abc" right, else it is removed. Prints the hasher the board will use.
    /// </summary>
    public static string PlaceScript
    {
        get
        {
            const string abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
            const string h = RemotePath;
            return $"if [ \"$(uname -m)\" = aarch64 ] && grep -qw sha2 /proc/cpuinfo; then " +
                   $"if [ -x {h} ]; then cat > /dev/null; else mkdir -p /run/kernelsoak && cat > {h}.tmp && chmod 755 {h}.tmp && mv {h}.tmp {h}; fi; " +
                   $"printf abc > {h}.abc; {h} {h}.abc | grep -q '^{abc} ' || rm -f {h}; rm -f {h}.abc; else cat > /dev/null; fi; command -v {h} || echo sha256sum";
        }
    }

    /// <summary>Places the helper (see <see cref="PlaceScript"/>); returns the hasher the board will use.</summary>
    public static async Task<string> InstallAsync(SshTarget ssh, string binary, CancellationToken cancellation = default)
    {
        var result = await ssh.RunWithInputAsync(PlaceScript, input => WriteAsync(binary, input, cancellation), TimeSpan.FromMinutes(1), cancellation);
        return result.Succeeded ? result.Output.Trim() : "sha256sum";
    }

    public static async Task WriteAsync(string binary, Stream input, CancellationToken cancellation)
    {
        await using var local = File.OpenRead(binary);
        await local.CopyToAsync(input, cancellation);
    }
}
