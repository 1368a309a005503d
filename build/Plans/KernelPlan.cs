using KernelSoak.Campaigns;
using KernelSoak.Frosting;
using KernelSoak.Journal;
using KernelSoak.Kernel;
using KernelSoak.Kernel.Kconfig;
using KernelSoak.Probes;
using KernelSoak.Processes;
using KernelSoak.Steps;

namespace KernelSoak.Build.Plans;

/// <summary>Configure (verified delta) and cross-compile the campaign's kernel.</summary>
public static class KernelPlan
{
    public static IEnumerable<Step> Configure(BuildContext c)
    {
        var tree = c.Kernel;
        var spec = c.Campaign.Kernel;
        var configurator = new KernelConfigurator(tree, c.Make, c.Commands);
        var fragment = spec.BaseFile.Length > 0 && spec.Base != BaseConfigKind.File ? c.CampaignPath(spec.BaseFile) : "";
        yield return new Step("kernel/source", $"kernel tree {tree.SourceDir} (a git repository, so patches apply with git am)",
            Fingerprint.Of(tree.SourceDir, tree.DebianTarball ?? ""),
            [.. tree.DebianTarball is null ? Array.Empty<string>() : [$"{DebianSource.UnpackCommand(tree.DebianTarball, tree.BaseDir)}   # only when it is not unpacked yet"],
             .. SourceState.RepositoryCommands(tree.BaseDir).Select(git => $"{git}   # only when it is not a repository yet"),
             .. new PatchSeries(tree, c.Commands).AnnounceWorktree()],
            async ct =>
            {
                await configurator.PrepareSourceAsync(ct);
                await SourceState.EnsureRepositoryAsync(tree.BaseDir, c.Commands, ct);
                var series = new PatchSeries(tree, c.Commands);
                await series.EnsureWorktreeAsync(ct);
                await configurator.PrepareBuildDirAsync(ct);
                // Until the unpatched kernel is probed (when the campaign probes it), the campaign's tree is the base.
                if (tree.IsWorktree && c.Campaign.Series.Baseline && HarvestPlan.Verdict(c, ProbeLifecycle.BaselineProbe) is null) await series.ResetAsync(await series.BaseAsync(ct), ct);
                return StepResult.Ok(new Dictionary<string, string> { ["head"] = SourceState.HeadCommit(tree.BaseDir) });
            }) { AlwaysRun = tree.IsWorktree || !Directory.Exists(tree.SourceDir) };

        var deltaArgs = c.Campaign.Config.SelectMany(ConfigDelta.ArgumentsFor).ToList();
        var scriptsConfig = ConfigDelta.ScriptsConfig(c.Campaign, tree);
        var configInputs = Fingerprint.Of(spec.Base.ToString(), fragment.Length > 0 && File.Exists(fragment) ? File.ReadAllText(fragment) : fragment,
            spec.Base == BaseConfigKind.File ? Fingerprint.OfFile(c.CampaignPath(spec.BaseFile)) : "", scriptsConfig.ToString(),
            string.Join(' ', c.Make.Variables), c.Journal.LastEnd("kernel/source")?.Outputs?.GetValueOrDefault("head") ?? "");
        // Inputs unchanged but the .config gone (a wiped cache): make it again.
        var configMissing = !File.Exists(configurator.ConfigPath);
        string[] baseCommands = spec.Base switch
        {
            BaseConfigKind.Running => [$"{c.Board.Ssh("zcat /proc/config.gz")} > {configurator.ConfigPath}"],
            BaseConfigKind.File => [CommandLine.Of("cp", c.CampaignPath(spec.BaseFile), configurator.ConfigPath).ToString()],
            _ => [c.Make.BaseConfig().ToString()],
        };
        yield return new Step("kernel/config", $"base {spec.Base.ToString().ToLowerInvariant()}{(fragment.Length > 0 ? $" + {Path.GetFileName(fragment)}" : "")} + {c.Campaign.Config.Count} typed options, olddefconfig (ARCH={spec.Arch})",
            configInputs,
            [.. baseCommands,
             .. fragment.Length > 0 ? new[] { $"{Path.Combine(tree.SourceDir, "scripts/config")} --file {configurator.ConfigPath} <each line of {fragment}>" } : [],
             scriptsConfig.ToString(), c.Make.Olddefconfig().ToString()],
            async ct =>
            {
                await configurator.PrepareBuildDirAsync(ct); // a journal from before the build dir moved into the tree
                if (spec.Base == BaseConfigKind.Running)
                {
                    using var ssh = await c.ConnectBoardAsync();
                    await File.WriteAllTextAsync(configurator.ConfigPath, await ssh.CheckAsync("zcat /proc/config.gz || cat /boot/config-$(uname -r)", cancellation: ct), ct);
                }
                else await configurator.BaseAsync(spec.Base, spec.Base == BaseConfigKind.File ? c.CampaignPath(spec.BaseFile) : "", ct);
                if (fragment.Length > 0) await configurator.ApplyAsync(KernelConfigurator.FragmentArguments(await File.ReadAllTextAsync(fragment, ct)), ct);
                await configurator.ApplyAsync(scriptsConfig.Arguments.Skip(2), ct);
                await configurator.OlddefconfigAsync(ct);
                return StepResult.Ok(new Dictionary<string, string> { ["config"] = Fingerprint.OfFile(configurator.ConfigPath) });
            }) { AlwaysRun = configMissing };

        yield return new Step("kernel/verify", "every requested option is in the final .config; each one that is not is explained from Kconfig",
            Fingerprint.Of(File.Exists(configurator.ConfigPath) ? Fingerprint.OfFile(configurator.ConfigPath) : "", configInputs),
            [$"compare {configurator.ConfigPath} with {c.Campaign.Config.Count + (fragment.Length > 0 ? RequestedOption.FromFragment(File.Exists(fragment) ? File.ReadAllText(fragment) : "", "").Count() : 0)} requested options"],
            ct => Task.FromResult(Verify(c, configurator, fragment)));

        yield return new Step("kernel/release", "the exact release string",
            Fingerprint.Of(File.Exists(configurator.ConfigPath) ? Fingerprint.OfFile(configurator.ConfigPath) : "", string.Join(' ', c.Make.Variables),
                c.Journal.LastEnd("kernel/source")?.Outputs?.GetValueOrDefault("head") ?? ""),
            [c.Make.Make("-s", "syncconfig").ToString(), c.Make.KernelRelease().ToString()],
            async ct =>
            {
                var release = await configurator.ReleaseAsync(ct);
                if (release.EndsWith('+') || release.EndsWith("-dirty", StringComparison.Ordinal))
                    c.Output.Warn($"release '{release}' ends in '+'/'-dirty': the tree has changes setlocalversion sees; install paths will carry it");
                // Where a release enters: it becomes /lib/modules/<release> and boot file names on the board.
                Deploy.KernelRelease.Check(release, "make kernelrelease (the tree's version + kernel.localversion + kernel.release_suffix)");
                c.Output.Info($"release {release}");
                return StepResult.Ok(new Dictionary<string, string> { ["release"] = release });
            }) { AlwaysRun = configMissing };
    }

    private static StepResult Verify(BuildContext c, KernelConfigurator configurator, string fragment)
    {
        var requested = new List<RequestedOption>();
        if (fragment.Length > 0) requested.AddRange(RequestedOption.FromFragment(File.ReadAllText(fragment), Path.GetFileName(fragment)));
        requested.AddRange(RequestedOption.FromCampaign(c.Campaign.Config));
        if (c.Campaign.Kernel.Localversion.Length > 0 && requested.All(r => r.Symbol != "LOCALVERSION"))
            requested.Add(new RequestedOption("LOCALVERSION", c.Campaign.Kernel.Localversion, "campaign"));
        var srcArch = KernelArch.SourceDir(c.Campaign.Kernel.Arch);
        var checks = configurator.Verify(requested, srcArch);
        var dropped = checks.Where(x => !x.Stuck).ToList();
        foreach (var d in dropped) c.Output.Warn(d.ToString());
        var fatal = dropped.Where(d => !d.Requested.Optional).ToList();
        c.Output.Info($"config verified: {checks.Count - dropped.Count}/{checks.Count} options as requested{(dropped.Count > fatal.Count ? $", {dropped.Count - fatal.Count} optional dropped" : "")}");
        if (fatal.Count > 0)
            throw new UserErrorException($"{fatal.Count} requested config option(s) did not stick after olddefconfig:\n  "
                + string.Join("\n  ", fatal.Select(f => f.ToString()))
                + $"\nFix the campaign ({c.Campaign.SourcePath}) or mark an option 'optional = true'.");
        return StepResult.Ok(new Dictionary<string, string> { ["verified"] = checks.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    public static IEnumerable<Step> Compile(BuildContext c, string prefix = "kernel")
    {
        var tree = c.Kernel;
        var spec = c.Campaign.Kernel;
        var externals = spec.ExternalModules.Select(m => ExternalModule.For(c.CampaignPath(m), tree)).ToList();
        var builder = new KernelBuilder(tree, c.Make, c.Commands, spec.Arch, externals);
        var configPath = Path.Combine(tree.BuildDir, ".config");
        var release = c.Journal.LastEnd("kernel/release")?.Outputs?.GetValueOrDefault("release") ?? PlanText.ReleasePlaceholder;
        // Out-of-tree modules are part of the build's inputs (only when there are some: other campaigns keep their fingerprints).
        var noTreeYet = c.DryRun && !Directory.Exists(Path.Combine(tree.SourceDir, ".git"));
        var sourceState = noTreeYet ? "" : SourceState.Fingerprint(tree.SourceDir);
        if (externals.Count > 0 && !(c.DryRun && externals.Any(m => !Directory.Exists(m.SourceDir))))
            sourceState = Fingerprint.Of([sourceState, .. externals.Select(m => m.Fingerprint())]);
        var fingerprint = noTreeYet ? "" : BuildInputs.Fingerprint(
            sourceState, File.Exists(configPath) ? File.ReadAllText(configPath) : "",
            Toolchain.Version(spec.CrossCompile), c.Make.Variables, spec.Targets, release);
        var log = Path.Combine(c.ArtifactsDir, "log", $"{prefix.Replace('/', '-')}-build.log");
        yield return new Step($"{prefix}/build", $"cross build {string.Join(" ", spec.Targets)} (make is skipped when sources, .config, toolchain and variables are unchanged)",
            fingerprint, [c.Make.Build().ToString(), .. externals.Select(m => $"{c.Make.ExternalBuild(m)}   # after copying {m.SourceDir} to {m.BuildDir}"),
                c.Make.ModulesInstall(builder.StagingDir).ToString(), .. externals.Select(m => c.Make.ExternalInstall(m, builder.StagingDir).ToString())],
            async ct =>
            {
                if (!File.Exists(configPath) || release == PlanText.ReleasePlaceholder)
                    throw new UserErrorException($"no configured kernel in {tree.BuildDir}: run ConfigureKernel first (without --exclusive)");
                if (externals.Count > 0 && !spec.Targets.Contains("modules"))
                    throw new UserErrorException($"kernel.external_modules needs \"modules\" in kernel.targets (they link against the kernel's Module.symvers): {c.Campaign.SourcePath}");
                c.Output.Info($"building {release}: full log {log}");
                await c.Output.WithStatusAsync($"building {release}", say =>
                    builder.BuildAsync(log, p => say($"  [{p.Elapsed:mm\\:ss}] {p.Objects} objects  {Trim(p.LastLine)}"), ct));
                var manifest = await builder.StageAsync(release, fingerprint, spec.Targets, ct);
                manifest.Save(c.ManifestPath);
                manifest.Save(Path.Combine(c.ArtifactsDir, "kernel", "manifests", fingerprint + ".json"));
                c.Output.Info($"manifest {c.ManifestPath}: Image {manifest.Image.Size / 1024 / 1024} MiB, {manifest.Modules.Count} module files, {manifest.Dtbs.Count} dtbs");
                return StepResult.Ok(new Dictionary<string, string> { ["manifest"] = c.ManifestPath, ["release"] = release, ["image_sha256"] = manifest.Image.Sha256 });
            }) { Group = "build" };
    }

    private static string Trim(string line) => line.Length > 90 ? line[..90] : line;
}
