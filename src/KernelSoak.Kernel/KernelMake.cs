using KernelSoak.Campaigns;
using KernelSoak.Processes;
using KernelSoak.Settings;

namespace KernelSoak.Kernel;

/// <summary>
/// Every make call for a campaign, with the same variables every time: ARCH (olddefconfig without it
/// rewrites .config for the host), CROSS_COMPILE, the same CC (Kbuild rebuilds all when it changes) and
/// LOCALVERSION= (else setlocalversion appends '+' in a git tree without tags).
/// </summary>
public sealed class KernelMake(KernelSpec spec, KernelTree tree, int hostCpus)
{
    /// <summary>Build hosts to spread compiles over ([Build] Distcc); none by default.</summary>
    public DistccHosts Distcc { get; init; } = DistccHosts.None;

    /// <summary>make's -j: the campaign's, else this host's CPUs plus every distcc slot (preprocessing and links stay here).</summary>
    public int Jobs => spec.Jobs > 0 ? spec.Jobs : hostCpus + Distcc.Slots;

    public IReadOnlyList<string> Variables
    {
        get
        {
            var vars = new List<string> { $"ARCH={spec.Arch}" };
            if (spec.CrossCompile.Length > 0) vars.Add($"CROSS_COMPILE={spec.CrossCompile}");
            // With ccache, distcc comes in as ccache's prefix (below): CC stays the same, so turning distcc on or off rebuilds nothing.
            if (spec.Ccache) vars.Add($"CC=ccache {spec.CrossCompile}gcc");
            else if (Distcc.Enabled) vars.Add($"CC=distcc {spec.CrossCompile}gcc");
            // Always passed, even empty: without it setlocalversion appends '+' in a git tree without tags.
            vars.Add($"LOCALVERSION={spec.ReleaseSuffix}");
            return vars;
        }
    }

    public CommandLine Make(params string[] targets)
    {
        string[] make = ["make", "-C", tree.SourceDir, $"O={tree.BuildDir}", $"-j{Jobs}", .. Variables, .. targets];
        if (!Distcc.Enabled) return new(make[0], make[1..]);
        // distcc reads its hosts from the environment: env makes that part of the logged command line.
        // ccache's depend mode: a miss is hashed from the compiler's own -MMD file, so the build host does not run
        // the preprocessor twice (ccache's, then distcc's): 0.53 instead of 0.87 of a plain build's CPU stays here
        // (bench/distcc.sh), which is what bounds the gain from more hosts.
        string[] environment = spec.Ccache ? ["CCACHE_DEPEND=1", "CCACHE_PREFIX=distcc", $"DISTCC_HOSTS={Distcc}"] : [$"DISTCC_HOSTS={Distcc}"];
        return new("env", [.. environment, .. make]);
    }

    public CommandLine BaseConfig() => spec.Base switch
    {
        BaseConfigKind.Defconfig => Make("defconfig"),
        BaseConfigKind.Tinyconfig => Make("tinyconfig"),
        BaseConfigKind.File => CommandLine.Of("cp", spec.BaseFile, Path.Combine(tree.BuildDir, ".config")),
        BaseConfigKind.Running => throw new InvalidOperationException("the running board's config is read over SSH, not by make"),
        _ => throw new ArgumentOutOfRangeException(nameof(spec)),
    };

    public CommandLine Olddefconfig() => Make("olddefconfig");
    public CommandLine KernelRelease() => Make("-s", "kernelrelease");
    public CommandLine Build() => Make([.. spec.Targets]);
    public CommandLine ModulesInstall(string stagingDir) => Make($"INSTALL_MOD_PATH={stagingDir}", "modules_install");
    public CommandLine ExternalBuild(ExternalModule module) => Make($"M={module.BuildDir}", "modules");
    /// <summary>Installs under lib/modules/&lt;release&gt;/extra, where depmod and modprobe find it.</summary>
    public CommandLine ExternalInstall(ExternalModule module, string stagingDir) => Make($"M={module.BuildDir}", $"INSTALL_MOD_PATH={stagingDir}", "modules_install");
}
