using System.Security.Cryptography;
using KernelSoak.Remote;
using KernelSoak.Processes;

namespace KernelSoak.Soak;

public sealed record HarvestedFile(string RemotePath, string LocalPath, bool Erased);

/// <summary>
/// Copies what a crash leaves behind into the artifacts: pstore records (erased on the board only after
/// the copy's hash matches), the kernel log, command line, iomem and the running config.
/// </summary>
public static class Harvester
{
    public static async Task<IReadOnlyList<HarvestedFile>> HarvestAsync(SshTarget ssh, string directory, CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(directory);
        var files = new List<HarvestedFile>();
        foreach (var (command, name) in new[]
        {
            ("dmesg", "dmesg.txt"), ("cat /proc/cmdline", "cmdline.txt"), ("cat /proc/iomem", "iomem.txt"),
            ("zcat /proc/config.gz 2>/dev/null", "running.config"), ("uname -a; cat /proc/sys/kernel/random/boot_id", "uname.txt"),
            ("journalctl -k -b -1 --no-pager 2>/dev/null", "journal-previous-boot.txt"),
        })
        {
            var result = await ssh.RunAsync(command, TimeSpan.FromMinutes(2), cancellation);
            if (result.Output.Length == 0) continue;
            var local = Path.Combine(directory, name);
            await File.WriteAllTextAsync(local, result.Output, cancellation);
            files.Add(new HarvestedFile(command, local, false));
        }
        foreach (var dir in new[] { "/sys/fs/pstore", "/var/lib/systemd/pstore" })
        {
            var list = await ssh.RunAsync($"[ -d {dir} ] && find {dir} -type f", TimeSpan.FromSeconds(30), cancellation);
            foreach (var remote in list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var content = await ssh.RunAsync($"cat {CommandLine.Quote(remote)}", TimeSpan.FromMinutes(1), cancellation);
                var local = Path.Combine(directory, "pstore", Path.GetFileName(remote));
                Directory.CreateDirectory(Path.GetDirectoryName(local)!);
                await File.WriteAllTextAsync(local, content.Output, cancellation);
                var localHash = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(local, cancellation)));
                var remoteHash = (await ssh.RunAsync($"sha256sum {CommandLine.Quote(remote)}", TimeSpan.FromSeconds(30), cancellation)).Output.Split(' ')[0];
                var erased = localHash == remoteHash && (await ssh.RunAsync($"rm -f {CommandLine.Quote(remote)}", TimeSpan.FromSeconds(30), cancellation)).Succeeded;
                files.Add(new HarvestedFile(remote, local, erased));
            }
        }
        return files;
    }
}
