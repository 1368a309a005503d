using System.Text.RegularExpressions;
using KernelSoak.Processes;

namespace KernelSoak.Kernel;

/// <summary>A patch that does not apply: which file, which hunk; the work tree is left as it was.</summary>
public sealed class PatchApplyException(string message) : Exception(message);

/// <summary>
/// A campaign's git worktree of the kernel and the patches applied on its work branch: git am for mails,
/// git apply for plain diffs, a reset to the exact commit a probe needs, a clean tree after a failure.
/// </summary>
public sealed partial class PatchSeries(KernelTree tree, CommandRunner runner)
{
    /// <summary>
    /// Given to every git command: am, commit, and also am --abort and reset die ("unable to auto-detect email
    /// address") on a machine whose root has no git identity — a fresh one — and a failed am then stays in progress.
    /// </summary>
    private static readonly string[] Identity = ["-c", "user.name=KernelSoak", "-c", "user.email=kernelsoak@localhost"];

    private CommandLine Git(string dir, params string[] args) => new("git", ["-C", dir, .. Identity, .. args]);

    private static readonly string[] RevParseHead = ["rev-parse", "HEAD"], AmSessionPath = ["rev-parse", "--git-path", "rebase-apply"],
        AmAbort = ["am", "--abort"], AmQuit = ["am", "--quit"], Clean = ["clean", "-fdq"];

    private static readonly string[] WorktreePrune = ["worktree", "prune"];
    private string[] WorktreeAdd => ["worktree", "add", "-f", "-B", tree.Branch, tree.SourceDir, "HEAD"];

    /// <summary>What the kernel/source step runs on a campaign's worktree, as --dryrun prints it.</summary>
    public IEnumerable<string> AnnounceWorktree(string resetTo = "<the base>", string why = "the unpatched kernel until it is probed")
    {
        if (!tree.IsWorktree) yield break;
        yield return $"{Git(tree.BaseDir, WorktreePrune)}   # only when the worktree is not there yet";
        yield return $"{Git(tree.BaseDir, WorktreeAdd)}   # a tree of its own for the patches";
        yield return $"{Git(tree.BaseDir, RevParseHead)}";
        yield return $"{Git(tree.SourceDir, Reset(resetTo))}   # {why}";
    }

    private static string[] Reset(string commit) => ["reset", "-q", "--hard", commit];
    private CommandLine Am(string patchFile) => Git(tree.SourceDir, "am", "--3way", "--keep-cr", patchFile);
    private CommandLine ApplyDiff(string patchFile) => Git(tree.SourceDir, "apply", "--index", patchFile);
    private CommandLine Commit(string patchFile, string id) => Git(tree.SourceDir, "commit", "-q", "-m", $"{id}: {Path.GetFileName(patchFile)}");

    /// <summary>
    /// What applying <paramref name="patchFile"/> on <paramref name="onto"/> runs, as --dryrun prints it (the same
    /// command lines <see cref="ResetAsync"/> and <see cref="ApplyAsync"/> run; values known only then as placeholders).
    /// </summary>
    public IEnumerable<string> AnnounceApply(string patchFile, string id, string onto)
    {
        yield return $"{Git(tree.BaseDir, RevParseHead)}   # the base";
        yield return $"{Git(tree.SourceDir, Reset(onto))}";
        foreach (var args in new[] { RevParseHead, AmSessionPath, AmQuit }) yield return $"{Git(tree.SourceDir, args)}";
        yield return $"{Am(patchFile)}   # a mail (From or Subject: at its top)";
        yield return $"{ApplyDiff(patchFile)}   # a plain diff, then the commit below";
        yield return $"{Commit(patchFile, id)}";
        foreach (var args in new[] { AmAbort, AmQuit, Reset("<the commit it started on>"), Clean })
            yield return $"{Git(tree.SourceDir, args)}   # only when it does not apply";
    }

    /// <summary>
    /// Creates the worktree on the work branch at the base tree's HEAD (kept if it exists). Build directories
    /// left in its place (the worktree was removed, its build kept) are moved aside for git and put back;
    /// anything else there is not ours to remove, so it stops the run.
    /// </summary>
    public async Task EnsureWorktreeAsync(CancellationToken cancellation = default)
    {
        if (!tree.IsWorktree || File.Exists(Path.Combine(tree.SourceDir, ".git"))) return;
        Directory.CreateDirectory(Path.GetDirectoryName(tree.SourceDir)!);
        var aside = MoveBuildDirsAside();
        await GitAsync(tree.BaseDir, WorktreePrune, cancellation);
        await GitAsync(tree.BaseDir, WorktreeAdd, cancellation);
        if (aside is null) return;
        foreach (var dir in Directory.EnumerateDirectories(aside)) Directory.Move(dir, Path.Combine(tree.SourceDir, Path.GetFileName(dir)));
        Directory.Delete(aside);
    }

    private string? MoveBuildDirsAside()
    {
        if (!Directory.Exists(tree.SourceDir)) return null;
        var entries = Directory.EnumerateFileSystemEntries(tree.SourceDir).ToList();
        var foreign = entries.Where(e => !Path.GetFileName(e).StartsWith(KernelTree.BuildDirPrefix, StringComparison.Ordinal) || !Directory.Exists(e)).ToList();
        if (foreign.Count > 0)
            throw new IOException($"{tree.SourceDir} is meant to be this campaign's git worktree but holds other files ({string.Join(", ", foreign.Take(3).Select(Path.GetFileName))}): move it away and re-run");
        if (entries.Count == 0) return null;
        var aside = tree.SourceDir + ".builds-aside";
        if (Directory.Exists(aside)) throw new IOException($"{aside} is left from an interrupted worktree creation: put its directories back into {tree.SourceDir} or remove it, then re-run");
        Directory.CreateDirectory(aside);
        foreach (var dir in entries) Directory.Move(dir, Path.Combine(aside, Path.GetFileName(dir)));
        Directory.Delete(tree.SourceDir);
        return aside;
    }

    public async Task<string> HeadAsync(CancellationToken cancellation = default) =>
        (await GitAsync(tree.SourceDir, RevParseHead, cancellation)).Trim();

    public async Task<string> BaseAsync(CancellationToken cancellation = default) =>
        (await GitAsync(tree.BaseDir, RevParseHead, cancellation)).Trim();

    /// <summary>Puts the work branch at a commit (a probe of patch N needs exactly base + 1..N).</summary>
    public Task ResetAsync(string commit, CancellationToken cancellation = default) =>
        GitAsync(tree.SourceDir, Reset(commit), cancellation);

    /// <summary>Applies one patch on top; returns the new HEAD. A failure aborts and leaves the tree clean.</summary>
    public async Task<string> ApplyAsync(string patchFile, string id, CancellationToken cancellation = default)
    {
        if (!File.Exists(patchFile)) throw new PatchApplyException($"patch {id}: {patchFile} not found");
        var text = await File.ReadAllTextAsync(patchFile, cancellation);
        var mail = text.StartsWith("From ", StringComparison.Ordinal) || text.Contains("\nSubject:", StringComparison.Ordinal);
        var head = await HeadAsync(cancellation);
        await EndInterruptedAmAsync(cancellation);
        var result = await runner.RunAsync(mail ? Am(patchFile) : ApplyDiff(patchFile), cancellation: cancellation);
        if (result.Succeeded && !mail)
            result = await runner.RunAsync(Commit(patchFile, id), cancellation: cancellation);
        if (!result.Succeeded)
        {
            if (mail && !(await runner.RunAsync(Git(tree.SourceDir, AmAbort), cancellation: cancellation)).Succeeded)
                await runner.RunAsync(Git(tree.SourceDir, AmQuit), cancellation: cancellation);
            await ResetAsync(head, cancellation);
            await runner.RunAsync(Git(tree.SourceDir, Clean), cancellation: cancellation);
            var where = result.Output.Where(l => FailedHunk().IsMatch(l) || l.StartsWith("error:", StringComparison.Ordinal)).Take(4).ToList();
            throw new PatchApplyException($"patch {id} ({patchFile}) does not apply on {head[..12]}: {string.Join("; ", where.Count > 0 ? where : result.Output.TakeLast(3))}. " +
                "The work tree is back where it was; refresh the patch against this tree.");
        }
        return await HeadAsync(cancellation);
    }

    /// <summary>
    /// An am left in progress (the host killed inside git am, or an abort that failed) makes every later am fail
    /// ("previous rebase directory … still exists"): it is ended first. The caller has reset the tree to the commit it wants.
    /// </summary>
    private async Task EndInterruptedAmAsync(CancellationToken cancellation)
    {
        var session = Path.GetFullPath((await GitAsync(tree.SourceDir, AmSessionPath, cancellation)).Trim(), tree.SourceDir);
        if (Directory.Exists(session)) await GitAsync(tree.SourceDir, AmQuit, cancellation);
    }

    /// <summary>The file of a patch: the campaign's name for it, else the first file in the directory starting with its id.</summary>
    public static string Resolve(string directory, Campaigns.PatchRef patch)
    {
        if (patch.File.Length > 0) return Path.GetFullPath(patch.File, directory);
        if (!Directory.Exists(directory)) throw new PatchApplyException($"patch directory {directory} not found (series.dir)");
        return Directory.GetFiles(directory).Order(StringComparer.Ordinal)
            .FirstOrDefault(f => Path.GetFileName(f).StartsWith(patch.Id, StringComparison.Ordinal) && (f.EndsWith(".patch", StringComparison.Ordinal) || f.EndsWith(".diff", StringComparison.Ordinal)))
            ?? throw new PatchApplyException($"no {patch.Id}*.patch in {directory}");
    }

    private async Task<string> GitAsync(string dir, string[] args, CancellationToken cancellation)
    {
        var result = await runner.RunAsync(Git(dir, args), cancellation: cancellation);
        if (!result.Succeeded) throw new InvalidOperationException($"git {string.Join(' ', args)} in {dir} failed: {string.Join(" | ", result.Output.TakeLast(3))}");
        return string.Join('\n', result.Output);
    }

    [GeneratedRegex(@"^(error: patch failed: |Patch failed at |error: .*: patch does not apply)")]
    private static partial Regex FailedHunk();
}
