using System.Security.Cryptography;
using KernelSoak.Processes;

namespace KernelSoak.Deploy;

/// <summary>
/// ks-sha256: sha256 with the ARMv8 SHA-2 instructions, a 3.5 KiB static program without libc, for arm64
/// boards whose sha256sum is busybox's plain C — under the emulator that was 3 s of every 13 MiB Image
/// copy. With <c>-o FILE</c> it also receives a copy (stdin to FILE in big writes, hashed on the way), so
/// a boot file is written and verified in one pass. Built on the host with the campaign's cross compiler,
/// placed in /run/kernelsoak on the board when its CPU has sha2, self-tested there; anything else keeps
/// the board's own sha256sum and cat.
/// </summary>
public static class FastSha256
{
    private static readonly string SourceText = ReadSource();

    /// <summary>Named by a hash of its source: a board keeps an older build in /run until it reboots.</summary>
    public static readonly string RemotePath = $"/run/kernelsoak/ks-sha256-{Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(SourceText)))[..12]}";

    /// <summary>The hashing command every board-side check uses: the helper when it is there, else sha256sum.</summary>
    public static readonly string Command = $"$(command -v {RemotePath} || echo sha256sum)";

    /// <summary>
    /// The place command goes in an SSH exec request: dropbear refuses commands over 9000 bytes
    /// (MAX_CMD_LEN), and the copy command around it needs room.
    /// </summary>
    public const int MaxBinaryBytes = 4500;

    private static string ReadSource()
    {
        using var stream = typeof(FastSha256).Assembly.GetManifestResourceStream("KernelSoak.Deploy.native.ks-sha256.c")!;
        return new StreamReader(stream).ReadToEnd();
    }

    /// <summary>Compiles the helper with <paramref name="crossCompile"/>gcc into <paramref name="cacheDir"/> (once per source); null when that fails.</summary>
    public static async Task<string?> BuildAsync(string crossCompile, string cacheDir, CommandRunner runner, CancellationToken cancellation = default)
    {
        var id = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(crossCompile + SourceText)))[..16];
        var binary = Path.Combine(cacheDir, $"ks-sha256-{id}");
        if (File.Exists(binary)) return binary;
        Directory.CreateDirectory(cacheDir);
        var file = Path.Combine(cacheDir, $"ks-sha256-{id}.c");
        await File.WriteAllTextAsync(file, SourceText, cancellation);
        try
        {
            // Stripped, no build id, no unwind tables: it travels base64 inside a command line.
            var result = await runner.RunAsync(new CommandLine(crossCompile + "gcc",
                ["-O2", "-march=armv8-a+crypto", "-static", "-nostdlib", "-ffreestanding", "-fno-stack-protector",
                 "-fno-asynchronous-unwind-tables", "-s", "-Wl,--build-id=none", "-o", binary + ".tmp", file]), cancellation: cancellation);
            if (!result.Succeeded || new FileInfo(binary + ".tmp").Length > MaxBinaryBytes) return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null; // no such compiler: the board's sha256sum it is
        }
        File.Move(binary + ".tmp", binary, overwrite: true);
        return binary;
    }

    /// <summary>
    /// Board-side shell that places the helper carried in the command itself (base64: no stdin, no extra
    /// round trip): on an aarch64 board with sha2 it lands in /run/kernelsoak unless there already, and
    /// must hash "abc" right, else it is removed. Prints the hasher the board will use.
    /// </summary>
    public static string PlaceScript(byte[] binary)
    {
        const string abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        var h = RemotePath;
        return $"if [ \"$(uname -m)\" = aarch64 ] && grep -qw sha2 /proc/cpuinfo; then " +
               $"if [ ! -x {h} ]; then mkdir -p /run/kernelsoak && echo {Convert.ToBase64String(binary)} | base64 -d > {h}.tmp && chmod 755 {h}.tmp && mv {h}.tmp {h}; fi; " +
               $"printf abc > {h}.abc; {h} {h}.abc | grep -q '^{abc} ' || rm -f {h}; rm -f {h}.abc; fi 2>/dev/null; command -v {h} || echo sha256sum";
    }
}
