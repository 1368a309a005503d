using System.Formats.Tar;
using System.Text;
using KernelSoak.Kernel;
using KernelSoak.Remote;
using KernelSoak.Processes;

namespace KernelSoak.Deploy;

/// <param name="Changed">relative paths of the files sent or deleted (what a module reload has to reload)</param>
public sealed record SyncResult(int Sent, int Deleted, int Unchanged, long BytesSent)
{
    public IReadOnlyList<string> Changed { get; init; } = [];

    /// <summary>The kernel modules among <see cref="Changed"/>, by the name modprobe knows them by.</summary>
    public IReadOnlyList<string> ChangedModules => Changed.Where(p => p.EndsWith(".ko", StringComparison.Ordinal) || p.EndsWith(".ko.xz", StringComparison.Ordinal))
        .Select(p => Path.GetFileName(p).Split('.')[0].Replace('-', '_')).Distinct().Order(StringComparer.Ordinal).ToList();
}

public sealed partial class KernelInstaller
{
    /// <summary>The script the board runs after unpacking, shipped inside the tar stream (no command-line length limit).</summary>
    private const string SyncScript = ".ks-sync";

    /// <summary>
    /// The release's modules directory made equal to the build's, in one SSH command (each costs processes
    /// and a round trip, ~0.5 s on an emulated board): the board lists the hashes of what it has and waits;
    /// we answer "skip", or "send" and one tar stream with the changed files and the script for the rest —
    /// rename into place per directory (each file is the old or the new, never half), drop stale files,
    /// depmod, and list the hashes again to verify. Other releases are never touched.
    /// </summary>
    public async Task<SyncResult> SyncModulesAsync(BuildManifest manifest, CancellationToken cancellation = default)
    {
        var target = layout.ModulesDir(manifest.Release);
        // modules.dep, modules.alias … are depmod's output: made on the board, never copied or compared.
        var files = manifest.Modules.Where(m => !IsDepmodOutput(m.RelativePath)).ToList();
        var staging = Staging(target, manifest.Release);
        var command = SyncCommand(target, manifest.Release);
        List<ManifestFile>? changed = null;
        List<string> stale = [];
        var result = await ssh.ConverseAsync(command, async (input, until) =>
        {
            if (await until("@@go") is not { } listed) return;
            var remote = RemoteFiles.ParseHashes(listed);
            changed = files.Where(m => !remote.TryGetValue(m.RelativePath, out var h) || h != m.Sha256).ToList();
            stale = remote.Keys.Except(files.Select(m => m.RelativePath)).Where(p => !IsDepmodOutput(p)).ToList();
            if (changed.Count == 0 && stale.Count == 0)
            {
                await input.WriteAsync("skip\n"u8.ToArray(), cancellation);
                return;
            }
            await input.WriteAsync("send\n"u8.ToArray(), cancellation);
            var script = Script(manifest.Release, target, staging, changed, stale);
            var progress = new ProgressStream(input, $"modules ({changed.Count} files)", changed.Sum(c => c.Size), Progress);
            await WriteTarAsync(progress, manifest.ModulesDir, changed, script, cancellation);
        }, TimeSpan.FromMinutes(10), cancellation);
        if (changed is null) throw new IOException($"cannot list the modules in {target} on {ssh.Endpoint}: {result.Error.Trim()}");
        if (changed.Count == 0 && stale.Count == 0)
        {
            say($"modules: {files.Count} files unchanged in {target}");
            return new SyncResult(0, 0, files.Count, 0);
        }
        if (!result.Succeeded) throw new IOException($"sending modules to {target} failed: {result.Error.Trim()}");
        var after = RemoteFiles.ParseHashes(result.Output[(result.Output.IndexOf("@@go\n", StringComparison.Ordinal) + 5)..]);
        var wrong = files.Where(m => after.GetValueOrDefault(m.RelativePath) != m.Sha256).Select(m => m.RelativePath).ToList();
        if (wrong.Count > 0) throw new IOException($"after the copy {wrong.Count} module file(s) differ on the board, e.g. {wrong[0]}");
        var bytes = changed.Sum(c => c.Size);
        say($"modules: sent {changed.Count}, deleted {stale.Count}, unchanged {files.Count - changed.Count} ({bytes / 1024} KiB), verified");
        return new SyncResult(changed.Count, stale.Count, files.Count - changed.Count, bytes) { Changed = [.. changed.Select(c => c.RelativePath), .. stale] };
    }

    private static string Staging(string target, string release) => CommandLine.Quote($"{Path.GetDirectoryName(target)}/.ks-incoming-{release}");

    /// <summary>The one command of a modules sync (what runs and what --dryrun prints): list, wait for our word, unpack, run the script.</summary>
    public static string SyncCommand(string target, string release)
    {
        var staging = Staging(target, release);
        return $"{RemoteFiles.HashesCommand(target)}; echo @@go; {RemoteFiles.AwaitSend}; " +
               $"rm -rf {staging} && mkdir -p {staging} && {{ tar -C {staging} -xf - || {{ {RemoteFiles.Drain}; echo 'unpacking the modules failed' >&2; exit 2; }}; }} && cd / && . {staging}/{SyncScript}";
    }

    /// <summary>What the board runs once the tar stream is unpacked in <paramref name="staging"/> (quoted).</summary>
    private string Script(string release, string target, string staging, IReadOnlyList<ManifestFile> changed, IReadOnlyList<string> stale)
    {
        string directoryOf(string relative) => CommandLine.Quote(relative.Length == 0 ? target : $"{target}/{relative}");
        var script = new StringBuilder("set -e\n");
        var groups = changed.GroupBy(c => Path.GetDirectoryName(c.RelativePath) ?? "").OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        script.Append($"mkdir -p {directoryOf("")} {string.Join(' ', groups.Select(g => directoryOf(g.Key)))}\n");
        foreach (var g in groups)
            script.Append($"mv -f {string.Join(' ', g.Select(c => $"{staging}/{CommandLine.Quote(c.RelativePath)}"))} {directoryOf(g.Key)}/\n");
        script.Append($"rm -rf {staging}\n");
        if (stale.Count > 0) script.Append($"(cd {CommandLine.Quote(target)} && rm -f {string.Join(' ', stale.Select(CommandLine.Quote))})\n");
        var baseDir = layout.RootDir.Length > 0 ? $"-b {CommandLine.Quote(layout.RootDir)} " : "";
        script.Append($"depmod {baseDir}{CommandLine.Quote(release)} >&2 || {{ echo 'depmod {release} failed on the board' >&2; exit 3; }}\nsync\n");
        script.Append(RemoteFiles.HashesCommand(target)).Append('\n');
        return script.ToString();
    }

    /// <summary>The changed files (modes and symlinks kept) and the sync script, as one tar stream.</summary>
    private static async Task WriteTarAsync(Stream output, string root, IEnumerable<ManifestFile> changed, string script, CancellationToken cancellation)
    {
        await using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var file in changed)
            await tar.WriteEntryAsync(Path.Combine(root, file.RelativePath), file.RelativePath, cancellation);
        var entry = new PaxTarEntry(TarEntryType.RegularFile, SyncScript) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(script)) };
        await tar.WriteEntryAsync(entry, cancellation);
    }

    private static bool IsDepmodOutput(string relativePath) =>
        !relativePath.Contains('/', StringComparison.Ordinal) && relativePath.StartsWith("modules.", StringComparison.Ordinal)
        && relativePath is not ("modules.order" or "modules.builtin" or "modules.builtin.modinfo");
}
