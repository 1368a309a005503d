using KernelSoak.Campaigns;
using KernelSoak.Kernel;
using KernelSoak.Processes;
using KernelSoak.Steps;

namespace KernelSoak.Build.Plans;

/// <summary>Configure (verified delta) and cross-compile the campaign's kernel.</summary>
public static class KernelPlan
{
    public const string ConfigureCapability = "verified config delta (issue: ConfigureKernel + CompileKernel)";
    public const string CompileCapability = "incremental cross build with manifest (issue: ConfigureKernel + CompileKernel)";

    public static IEnumerable<Step> Configure(BuildContext c)
    {
        var tree = c.Kernel;
        if (tree.DebianTarball is not null)
            yield return Step.Pending("kernel/source", $"unpack {tree.DebianTarball} into {tree.SourceDir}", ConfigureCapability,
                CommandLine.Of("tar", "-xJf", tree.DebianTarball, "-C", tree.SourceDir, "--strip-components=1").ToString());
        var baseCommands = new List<string>
        {
            CommandLine.Of("mkdir", "-p", tree.BuildDir).ToString(),
            c.Campaign.Kernel.Base == BaseConfigKind.Running
                ? $"{c.Board.Ssh("zcat /proc/config.gz")} > {Path.Combine(tree.BuildDir, ".config")}"
                : c.Make.BaseConfig().ToString(),
        };
        if (c.Campaign.Kernel.BaseFile.Length > 0 && c.Campaign.Kernel.Base != BaseConfigKind.File)
            baseCommands.Add(CommandLine.Of(Path.Combine(tree.SourceDir, "scripts/kconfig/merge_config.sh"), "-m", "-O", tree.BuildDir,
                Path.Combine(tree.BuildDir, ".config"), c.Campaign.Kernel.BaseFile).ToString());
        yield return Step.Pending("kernel/base-config", $"base config: {c.Campaign.Kernel.Base.ToString().ToLowerInvariant()}", ConfigureCapability, [.. baseCommands]);
        yield return Step.Pending("kernel/delta", $"apply {c.Campaign.Config.Count} options with their types", ConfigureCapability,
            ConfigDelta.ScriptsConfig(c.Campaign, tree).ToString(), c.Make.Olddefconfig().ToString());
        yield return Step.Pending("kernel/verify", "every requested option is in the final .config; each dropped one explained from Kconfig", ConfigureCapability,
            $"grep -xF <expected line> {Path.Combine(tree.BuildDir, ".config")}   # for each of: {string.Join(" ", c.Campaign.Config.Select(o => o.Name))}");
        yield return Step.Pending("kernel/release", "compute the exact release string", ConfigureCapability, c.Make.KernelRelease().ToString());
    }

    public static IEnumerable<Step> Compile(BuildContext c, string prefix = "kernel")
    {
        var staging = Path.Combine(c.Kernel.BuildDir, "staging");
        yield return Step.Pending($"{prefix}/build", $"cross build {string.Join(" ", c.Campaign.Kernel.Targets)} (skipped when the inputs fingerprint is unchanged)", CompileCapability,
            c.Make.Build().ToString(), c.Make.ModulesInstall(staging).ToString());
        yield return Step.Pending($"{prefix}/manifest", "artifact manifest: Image, modules, dtbs, System.map, .config, release, sha256 of each", CompileCapability,
            $"sha256sum {Path.Combine(c.Kernel.BuildDir, "arch", c.Campaign.Kernel.Arch, "boot", "Image")} {Path.Combine(c.Kernel.BuildDir, "System.map")} ...");
    }
}
