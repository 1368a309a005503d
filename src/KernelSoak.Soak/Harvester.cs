using System.Security.Cryptography;
using KernelSoak.Remote;
using KernelSoak.Processes;

namespace KernelSoak.Soak;

public sealed record HarvestedFile(string RemotePath, string LocalPath, bool Erased);

/// <summary>What a harvest collects: command outputs kept under a name, and the pstore directories.</summary>
public sealed record HarvestSources(IReadOnlyList<(string Command, string Name)> Commands, IReadOnlyList<string> PstoreRoots)
{
    public static readonly HarvestSources Board = new(
        [
            ("dmesg", "dmesg.txt"), ("cat /proc/cmdline", "cmdline.txt"), ("cat /proc/iomem", "iomem.txt"),
            ("zcat /proc/config.gz 2>/dev/null", "running.config"), ("uname -a; cat /proc/sys/kernel/random/boot_id", "uname.txt"),
            ("journalctl -k -b -1 --no-pager 2>/dev/null", "journal-previous-boot.txt"),
        ],
        ["/sys/fs/pstore", "/var/lib/systemd/pstore"]);
}

/// <summary>The host could not keep what the board holds (disk full, I/O error): nothing unverified was erased.</summary>
public sealed class HarvestException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// Copies what a crash leaves behind into the artifacts: pstore records under the board's own paths
/// (systemd-pstore keeps every crash as &lt;id&gt;/dmesg.txt: flattening names lost all but one), byte for
/// byte, never over an existing file, and erased on the board only once the host copy is on disk and its
/// sha256 equals the board's; then the kernel log, command line, iomem and the running config.
/// </summary>
public static class Harvester
{
    public static Task<IReadOnlyList<HarvestedFile>> HarvestAsync(SshTarget ssh, string directory, CancellationToken cancellation = default) =>
        HarvestAsync(ssh, directory, HarvestSources.Board, cancellation);

    /// <param name="createFile">Opens a new host file for writing (tests hand in a full disk).</param>
    public static async Task<IReadOnlyList<HarvestedFile>> HarvestAsync(SshTarget ssh, string directory, HarvestSources sources,
        CancellationToken cancellation = default, Func<string, Stream>? createFile = null)
    {
        createFile ??= path => new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024);
        var files = new List<HarvestedFile>();
        try
        {
            Directory.CreateDirectory(directory);
            // pstore first: it is what a crash leaves, and a disk that fills up later must not cost it.
            foreach (var root in sources.PstoreRoots)
                foreach (var remote in await ListAsync(ssh, root, cancellation))
                    files.Add(await HarvestRecordAsync(ssh, directory, root, remote, createFile, cancellation));
            foreach (var (command, name) in sources.Commands)
            {
                var local = Path.Combine(directory, name);
                var partial = await CopyAsync(ssh, command, local, createFile, TimeSpan.FromMinutes(2), cancellation);
                if (new FileInfo(partial).Length == 0) { File.Delete(partial); continue; }
                File.Move(partial, local, overwrite: true);   // a snapshot of now: the newer one is the one to keep
                files.Add(new HarvestedFile(command, local, false));
            }
        }
        catch (IOException e)
        {
            var erased = files.Count(f => f.Erased);
            throw new HarvestException($"harvest into {directory} failed on the host: {e.Message}. {files.Count} file(s) kept; " +
                $"{erased} pstore record(s) were erased on the board, each only after its copy verified; every other record is still on the board. " +
                "Free space on the host (or fix the artifacts disk) and re-run: the harvest starts again from what the board still holds", e);
        }
        return files;
    }

    private static async Task<IReadOnlyList<string>> ListAsync(SshTarget ssh, string root, CancellationToken cancellation)
    {
        var list = await ssh.RunAsync(HarvestCommands.List(root), TimeSpan.FromSeconds(30), cancellation);
        if (!list.Succeeded) throw new InvalidOperationException($"listing {root} on {ssh.Endpoint} exited {list.ExitCode}: {list.Error.Trim()}");
        return list.Output.Split('\0', StringSplitOptions.RemoveEmptyEntries);
    }

    private static async Task<HarvestedFile> HarvestRecordAsync(SshTarget ssh, string directory, string root, string remote,
        Func<string, Stream> createFile, CancellationToken cancellation)
    {
        var wanted = PstoreLayout.LocalPath(directory, root, remote);
        Directory.CreateDirectory(Path.GetDirectoryName(wanted)!);
        var partial = await CopyAsync(ssh, HarvestCommands.Copy(CommandLine.Quote(remote)), wanted, createFile, TimeSpan.FromMinutes(1), cancellation);
        var localHash = Sha256(partial);
        var board = await ssh.RunAsync(HarvestCommands.Hash(CommandLine.Quote(remote)), TimeSpan.FromSeconds(30), cancellation);
        var boardHash = board.Succeeded ? board.Output.Split(' ')[0].Trim() : "";
        var local = Keep(partial, wanted, localHash);
        var erased = PstoreLayout.MayErase(localHash, boardHash)
            && (await ssh.RunAsync(HarvestCommands.Erase(CommandLine.Quote(remote)), TimeSpan.FromSeconds(30), cancellation)).Succeeded;
        return new HarvestedFile(remote, local, erased);
    }

    /// <summary>Copies a command's output into a new file next to <paramref name="local"/>, on disk (fsynced) before it returns.</summary>
    private static async Task<string> CopyAsync(SshTarget ssh, string command, string local, Func<string, Stream> createFile, TimeSpan timeout, CancellationToken cancellation)
    {
        var partial = PstoreLayout.FreeName(local + ".partial", _ => false, File.Exists);
        try
        {
            await using (var stream = createFile(partial))
            {
                await ssh.CopyOutputAsync(command, stream, timeout, cancellation);
                await stream.FlushAsync(cancellation);
                if (stream is FileStream file) file.Flush(flushToDisk: true);
            }
            return partial;
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    /// <summary>Moves the verified copy to its name, or to the next free one: an existing file is never replaced.</summary>
    private static string Keep(string partial, string wanted, string hash)
    {
        var local = PstoreLayout.FreeName(wanted, path => Sha256(path) == hash, File.Exists);
        if (File.Exists(local))
        {
            File.Delete(partial);   // the same record, harvested before: already kept
            return local;
        }
        File.Move(partial, local, overwrite: false);
        return local;
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
