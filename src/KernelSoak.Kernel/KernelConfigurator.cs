using KernelSoak.Campaigns;
using KernelSoak.Kernel.Kconfig;
using KernelSoak.Processes;

namespace KernelSoak.Kernel;

/// <summary>
/// Makes a build directory's .config: base (defconfig, tinyconfig, a file), an optional fragment, the
/// campaign's typed delta through the tree's own scripts/config, olddefconfig with the right ARCH —
/// then judges the result against every request and explains what did not stick.
/// </summary>
public sealed class KernelConfigurator(KernelTree tree, KernelMake make, CommandRunner runner)
{
    public string ConfigPath => Path.Combine(tree.BuildDir, ".config");

    public async Task PrepareAsync(CancellationToken cancellation = default)
    {
        await PrepareSourceAsync(cancellation);
        await PrepareBuildDirAsync(cancellation);
    }

    /// <summary>The base tree is there (unpacked when it is Debian's) and is a kernel tree.</summary>
    public async Task PrepareSourceAsync(CancellationToken cancellation = default)
    {
        if (tree.DebianTarball is not null) await DebianSource.EnsureUnpackedAsync(tree.DebianTarball, tree.BaseDir, runner, cancellation);
        if (!File.Exists(Path.Combine(tree.BaseDir, "Makefile")) || !File.Exists(Path.Combine(tree.BaseDir, "Kconfig")))
            throw new DirectoryNotFoundException($"{tree.BaseDir} is not a kernel tree (no Makefile/Kconfig): set [kernel] tree in the campaign");
    }

    /// <summary>The build directory exists and is writable (after the worktree, which may hold it, is made).</summary>
    public async Task PrepareBuildDirAsync(CancellationToken cancellation = default)
    {
        try
        {
            Directory.CreateDirectory(tree.BuildDir);
            var probe = Path.Combine(tree.BuildDir, ".ks-write-test");
            await File.WriteAllTextAsync(probe, "", cancellation);
            File.Delete(probe);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new IOException($"build directory {tree.BuildDir} is not writable: {e.Message}. Set [Paths] Cache to a writable place", e);
        }
    }

    public async Task BaseAsync(BaseConfigKind kind, string baseFile, CancellationToken cancellation = default)
    {
        switch (kind)
        {
            case BaseConfigKind.Defconfig: await MakeAsync(make.Make("defconfig"), cancellation); break;
            case BaseConfigKind.Tinyconfig: await MakeAsync(make.Make("tinyconfig"), cancellation); break;
            case BaseConfigKind.File:
                File.Copy(baseFile, ConfigPath, overwrite: true);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "the running board's config is fetched over SSH by the caller");
        }
    }

    public Task ApplyAsync(IEnumerable<string> scriptsConfigArguments, CancellationToken cancellation = default) =>
        MakeAsync(new CommandLine(Path.Combine(tree.SourceDir, "scripts", "config"), ["--file", ConfigPath, .. scriptsConfigArguments]), cancellation);

    /// <summary>scripts/config arguments for fragment lines (CONFIG_X=y/m/value, "# CONFIG_X is not set").</summary>
    public static IEnumerable<string> FragmentArguments(string fragment) =>
        RequestedOption.FromFragment(fragment, "fragment").SelectMany(o => ConfigDelta.ArgumentsFor(new ConfigOption { Name = o.Name, Value = o.Value }));

    public Task OlddefconfigAsync(CancellationToken cancellation = default) => MakeAsync(make.Olddefconfig(), cancellation);

    public IReadOnlyList<OptionCheck> Verify(IEnumerable<RequestedOption> requested, string srcArch) =>
        ConfigVerifier.Check(requested, DotConfig.Load(ConfigPath), KconfigTree.Load(tree.SourceDir, srcArch));

    /// <summary>
    /// The exact release. setlocalversion reads CONFIG_LOCALVERSION from include/config/auto.conf,
    /// which exists only after syncconfig: without it a fresh tree reports the release without it.
    /// </summary>
    public async Task<string> ReleaseAsync(CancellationToken cancellation = default)
    {
        await MakeAsync(make.Make("-s", "syncconfig"), cancellation);
        var result = await runner.RunAsync(make.KernelRelease(), cancellation: cancellation);
        var release = result.Output.LastOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "";
        if (!result.Succeeded || release.Length == 0)
            throw new InvalidOperationException($"make kernelrelease failed: {string.Join(" | ", result.Output.TakeLast(3))}");
        return release;
    }

    private async Task MakeAsync(CommandLine command, CancellationToken cancellation)
    {
        var result = await runner.RunAsync(command, cancellation: cancellation);
        if (!result.Succeeded)
            throw new InvalidOperationException($"'{command}' failed (exit {result.ExitCode}): {string.Join(" | ", result.Output.TakeLast(5))}");
    }
}
