using System.Security.Cryptography;
using System.Text;
using KernelSoak.Processes;
using LibGit2Sharp;

namespace KernelSoak.Kernel;

/// <summary>
/// The kernel tree as a git repository: what its sources are right now (commit + uncommitted changes),
/// cheaply, so an unchanged tree skips make entirely.
/// </summary>
public static class SourceState
{
    /// <summary>HEAD plus every changed or untracked path with its size and mtime (LibGit2Sharp status).</summary>
    public static string Fingerprint(string sourceDir)
    {
        if (!Repository.IsValid(sourceDir))
            return "no-git:" + Directory.GetLastWriteTimeUtc(sourceDir).Ticks;
        using var repo = new Repository(sourceDir);
        var text = new StringBuilder(repo.Head.Tip?.Sha ?? "unborn");
        var status = repo.RetrieveStatus(new StatusOptions { IncludeUntracked = true, RecurseUntrackedDirs = true, IncludeIgnored = false });
        // Our own build directories inside the tree are outputs, not sources, whatever the tree's .gitignore says.
        foreach (var entry in status.Where(e => e.State != FileStatus.Unaltered && !e.FilePath.StartsWith(KernelTree.BuildDirPrefix, StringComparison.Ordinal))
                     .OrderBy(e => e.FilePath, StringComparer.Ordinal))
        {
            var file = new FileInfo(Path.Combine(sourceDir, entry.FilePath));
            text.Append('\n').Append(entry.FilePath).Append(' ').Append(entry.State)
                .Append(' ').Append(file.Exists ? $"{file.Length}:{file.LastWriteTimeUtc.Ticks}" : "gone");
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }

    public static string HeadCommit(string sourceDir)
    {
        using var repo = new Repository(sourceDir);
        return repo.Head.Tip?.Sha ?? "";
    }

    /// <summary>
    /// Makes an unpacked tree a git repository with one base commit (patches are applied on top with git am).
    /// Debian's linux-source tarball ships a top-level .gitignore with "/*" and "!/debian/": with those
    /// lines 'git add -A' adds nothing, so they go first.
    /// </summary>
    public static async Task EnsureRepositoryAsync(string sourceDir, CommandRunner runner, CancellationToken cancellation = default)
    {
        if (Repository.IsValid(sourceDir)) return;
        var ignore = Path.Combine(sourceDir, ".gitignore");
        if (File.Exists(ignore))
        {
            var lines = await File.ReadAllLinesAsync(ignore, cancellation);
            await File.WriteAllLinesAsync(ignore, lines.Where(l => l is not ("/*" or "!/debian/")), cancellation);
        }
        foreach (var command in RepositoryCommands(sourceDir))
        {
            // Build directories already in the tree (the board's) never become part of its base commit.
            if (command.Arguments[2] == "add") await File.AppendAllTextAsync(Path.Combine(Directory.CreateDirectory(Path.Combine(sourceDir, ".git", "info")).FullName, "exclude"), $"/{KernelTree.BuildDirPrefix}*/\n", cancellation);
            var result = await runner.RunAsync(command, cancellation: cancellation);
            if (!result.Succeeded)
            {
                Directory.Delete(Path.Combine(sourceDir, ".git"), recursive: true);
                throw new InvalidOperationException($"{command} failed: {string.Join(" | ", result.Output.TakeLast(3))}");
            }
        }
    }

    /// <summary>What makes an unpacked tree a repository (run by <see cref="EnsureRepositoryAsync"/>, printed by --dryrun).</summary>
    public static IReadOnlyList<CommandLine> RepositoryCommands(string sourceDir) =>
    [
        CommandLine.Of("git", "-C", sourceDir, "init", "-q"), CommandLine.Of("git", "-C", sourceDir, "add", "-A"),
        CommandLine.Of("git", "-C", sourceDir, "-c", "user.name=KernelSoak", "-c", "user.email=kernelsoak@localhost", "commit", "-q", "-m", $"base: {Path.GetFileName(sourceDir)}"),
    ];
}
