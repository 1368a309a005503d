using System.Globalization;
using KernelSoak.Remote;
using KernelSoak.Processes;

namespace KernelSoak.Deploy;

/// <summary>File operations on the board over one SSH connection: hashes, atomic writes, free space.</summary>
public static class RemoteFiles
{
    /// <summary>
    /// Reads the rest of our stream after the receiving command failed early (a full partition): the channel
    /// must stay open until we stop sending — data that reaches OpenSSH after the channel is gone makes it
    /// drop the whole connection ("data packet referred to nonexistent channel").
    /// </summary>
    public const string Drain = "cat > /dev/null";

    /// <summary>
    /// Waits for our word ("send" or "skip"); on anything but "send" it reads to our end of input before it
    /// exits. Exiting first would close the channel while our side still has to send its end of input, and
    /// SSH.NET then sends that EOF on a channel OpenSSH has freed: OpenSSH drops the whole connection
    /// ("ieof packet referred to nonexistent channel"), seen on a loaded host.
    /// </summary>
    public const string AwaitSend = "read -r go && [ \"$go\" = send ] || { " + Drain + "; exit 0; }";

    /// <summary>sha256 of every file under a directory, as "hash  ./path" lines (nothing when it does not exist).</summary>
    public static string HashesCommand(string directory)
    {
        var q = CommandLine.Quote(directory);
        return $"if [ -d {q} ]; then cd {q} && find . -type f -exec {FastSha256.Command} {{}} +; fi";
    }

    public static Dictionary<string, string> ParseHashes(string output)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split("  ", 2);
            if (parts.Length == 2) hashes[parts[1].TrimStart('.', '/')] = parts[0];
        }
        return hashes;
    }

    public static async Task<string?> HashAsync(SshTarget ssh, string path, CancellationToken cancellation = default)
    {
        var result = await ssh.RunAsync($"{FastSha256.Command} {CommandLine.Quote(path)} 2>/dev/null", TimeSpan.FromMinutes(2), cancellation);
        return result.Succeeded && result.Output.Length >= 64 ? result.Output[..64] : null;
    }

    /// <summary>
    /// Writes to a temporary name, checks its sha256 there, syncs, then renames: a power cut leaves the old
    /// file or the new, never half. The hash is what makes a cut-off copy harmless: closing our side early
    /// ends the remote receiver as if the file were complete, and only the hash tells it was not.
    /// </summary>
    public static async Task WriteAtomicAsync(SshTarget ssh, string path, Func<Stream, Task> write, string sha256, CancellationToken cancellation = default)
    {
        var result = await ssh.RunWithInputAsync(ReceiveCommand(path, sha256), write, TimeSpan.FromMinutes(10), cancellation);
        if (!result.Succeeded) await FailedWriteAsync(ssh, path, result, cancellation);
    }

    /// <summary>
    /// The board side of <see cref="WriteAtomicAsync"/>: stdin to the temporary name through the fast
    /// hasher's <c>-o</c> (written and hashed in one pass) when it is placed, else <c>cat</c> and a
    /// second pass of <c>sha256sum</c> (busybox's tee, one pass, writes in small blocks: 3x slower on the
    /// emulated board's FAT).
    /// </summary>
    public static string ReceiveCommand(string path, string sha256)
    {
        var temp = CommandLine.Quote(path + ".ks-tmp");
        var h = FastSha256.RemotePath;
        return $"{{ {{ if [ -x {h} ]; then {h} -o {temp}; else cat > {temp} && sha256sum {temp}; fi || {{ {Drain}; false; }}; }} | grep -q '^{sha256} ' || " +
               $"{{ echo 'the copy on the board is incomplete or does not match (sha256): not installed' >&2; rm -f {temp}; false; }}; }} && " +
               $"sync && mv {temp} {CommandLine.Quote(path)} && sync";
    }

    /// <summary>After a failed <see cref="ReceiveCommand"/>: the temporary file goes, the old file stays, the error says why.</summary>
    public static async Task FailedWriteAsync(SshTarget ssh, string path, RemoteResult result, CancellationToken cancellation)
    {
        await ssh.RunAsync($"rm -f {CommandLine.Quote(path + ".ks-tmp")}", TimeSpan.FromSeconds(30), cancellation);
        throw new IOException($"writing {path} on {ssh.Endpoint} failed: {result.Error.Trim()}" +
            (result.Error.Contains("No space", StringComparison.Ordinal) ? " — the partition is full; free space or lower what is installed. The old file is untouched" : ""));
    }

    public static Task WriteTextAsync(SshTarget ssh, string path, string text, CancellationToken cancellation = default)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        return WriteAtomicAsync(ssh, path, async s => await s.WriteAsync(bytes, cancellation), Sha256Of(bytes), cancellation);
    }

    /// <summary>The board side of <see cref="WriteTextAsync"/> for <paramref name="text"/> (what --dryrun prints for it).</summary>
    public static string ReceiveTextCommand(string path, string text) =>
        ReceiveCommand(path, Sha256Of(System.Text.Encoding.UTF8.GetBytes(text)));

    private static string Sha256Of(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    public static async Task<long> FreeBytesAsync(SshTarget ssh, string directory, CancellationToken cancellation = default) =>
        ParseFreeBytes(await ssh.CheckAsync($"df -k {CommandLine.Quote(directory)} | tail -1", TimeSpan.FromSeconds(30), cancellation), directory);

    /// <summary>The free bytes in the last line of <c>df -k</c>.</summary>
    public static long ParseFreeBytes(string output, string directory)
    {
        var fields = output.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 4 && long.TryParse(fields[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb) ? kb * 1024
            : throw new InvalidDataException($"cannot read free space of {directory} from: {output.Trim()}");
    }
}
