using System.Diagnostics;
using System.Text.RegularExpressions;
using KernelSoak.Processes;

namespace KernelSoak.Kernel;

/// <summary>Progress of a kernel build: objects done so far and the last line make printed.</summary>
public sealed record BuildProgress(int Objects, string LastLine, TimeSpan Elapsed);

/// <summary>
/// Cross-compiles out of tree (O=), full log to a file, live progress, the first compiler errors on
/// failure; then builds the campaign's out-of-tree modules against it, stages all modules and writes the
/// artifact manifest.
/// </summary>
public sealed partial class KernelBuilder(KernelTree tree, KernelMake make, CommandRunner runner, string arch, IReadOnlyList<ExternalModule>? externals = null)
{
    public string StagingDir => Path.Combine(tree.BuildDir, "staging");
    private IReadOnlyList<ExternalModule> Externals => externals ?? [];

    public async Task BuildAsync(string logFile, Action<BuildProgress> progress, CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        await using var log = new StreamWriter(logFile, append: false) { AutoFlush = false };
        var objects = 0;
        var watch = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        var gate = new Lock();
        async Task MakeAsync(CommandLine command, string what)
        {
            var result = await runner.RunAsync(command, line =>
            {
                lock (gate)
                {
                    log.WriteLine(line);
                    if (ObjectLine().IsMatch(line)) objects++;
                    if (watch.Elapsed - lastReport > TimeSpan.FromSeconds(2))
                    {
                        lastReport = watch.Elapsed;
                        progress(new BuildProgress(objects, line.Trim(), watch.Elapsed));
                    }
                }
            }, cancellation: cancellation);
            lock (gate) log.Flush();
            if (!result.Succeeded)
            {
                var errors = File.ReadLines(logFile).Where(l => l.Contains("error:", StringComparison.Ordinal) || l.Contains("Error ", StringComparison.Ordinal)).Take(8).ToList();
                throw new KernelBuildException($"{what} failed (exit {result.ExitCode}); full log {logFile}:\n  " +
                    string.Join("\n  ", errors.Count > 0 ? errors : result.Output.TakeLast(8)));
            }
        }
        await MakeAsync(make.Build(), "the kernel build");
        foreach (var module in Externals)
        {
            module.SyncCopy();
            await MakeAsync(make.ExternalBuild(module), $"the out-of-tree module {module.Name} ({module.SourceDir})");
        }
        progress(new BuildProgress(objects, "done", watch.Elapsed));
    }

    /// <summary>modules_install into a staging tree (build/source links removed: they point into the host).</summary>
    public async Task<BuildManifest> StageAsync(string release, string fingerprint, IReadOnlyList<string> targets, CancellationToken cancellation = default)
    {
        var modulesRoot = Path.Combine(StagingDir, "lib", "modules");
        if (Directory.Exists(StagingDir)) Directory.Delete(StagingDir, recursive: true);
        Directory.CreateDirectory(modulesRoot);
        if (targets.Contains("modules"))
        {
            var install = await runner.RunAsync(make.ModulesInstall(StagingDir), cancellation: cancellation);
            if (!install.Succeeded) throw new KernelBuildException($"modules_install failed: {string.Join(" | ", install.Output.TakeLast(5))}");
        }
        foreach (var module in Externals)
        {
            var install = await runner.RunAsync(make.ExternalInstall(module, StagingDir), cancellation: cancellation);
            if (!install.Succeeded) throw new KernelBuildException($"modules_install of {module.Name} failed: {string.Join(" | ", install.Output.TakeLast(5))}");
        }
        var modulesDir = Path.Combine(modulesRoot, release);
        Directory.CreateDirectory(modulesDir);
        foreach (var link in new[] { "build", "source" }) File.Delete(Path.Combine(modulesDir, link));
        var boot = Path.Combine(tree.BuildDir, "arch", arch, "boot");
        var dtbRoot = Path.Combine(boot, "dts");
        return new BuildManifest(
            release, arch, fingerprint,
            ManifestFile.Of(Path.Combine(boot, "Image"), tree.BuildDir),
            ManifestFile.Of(Path.Combine(tree.BuildDir, "System.map"), tree.BuildDir),
            ManifestFile.Of(Path.Combine(tree.BuildDir, ".config"), tree.BuildDir),
            targets.Contains("dtbs") && Directory.Exists(dtbRoot)
                ? Directory.EnumerateFiles(dtbRoot, "*.dtb", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => ManifestFile.Of(f, dtbRoot)).ToList()
                : [],
            modulesDir,
            Directory.EnumerateFiles(modulesDir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => ManifestFile.Of(f, modulesDir)).ToList(),
            DateTimeOffset.UtcNow);
    }

    [GeneratedRegex(@"^\s+(CC|AS|LD|AR|CC \[M\]|LD \[M\])\s")]
    private static partial Regex ObjectLine();
}

public sealed class KernelBuildException(string message) : Exception(message);
