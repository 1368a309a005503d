using Cake.Frosting;
using KernelSoak.Frosting;
using KernelSoak.Campaigns;
using KernelSoak.Kernel;
using KernelSoak.Kernel.Kconfig;

namespace KernelSoak.Build.Tasks;

[TaskName("LintCampaign")]
[TaskDescription("Checks the campaign's config delta against the kernel tree's Kconfig without building: dropped, conflicting and mistyped options")]
public sealed class LintCampaignTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var spec = context.Campaign.Kernel;
        // A scratch build directory: linting never touches the campaign's real build.
        var tree = context.Kernel with { BuildDir = Path.Combine(context.CacheDir, "lint", context.Campaign.Id) };
        var make = new KernelMake(spec, tree, System.Environment.ProcessorCount);
        var configurator = new KernelConfigurator(tree, make, context.Commands);
        var baseKind = spec.Base == BaseConfigKind.Running ? BaseConfigKind.Defconfig : spec.Base;
        if (spec.Base == BaseConfigKind.Running)
            context.Output.Warn("the campaign starts from the running board's config; linting against defconfig instead (options the board's config already has may show as dropped)");
        if (BootSelectionAdvice.KexecChain(context.Campaign) is { } advice) context.Output.Warn($"lint: {advice}");
        context.Output.Info($"    $ {make.Make(baseKind.ToString().ToLowerInvariant())}");
        context.Output.Info($"    $ {ConfigDelta.ScriptsConfig(context.Campaign, tree)}");
        context.Output.Info($"    $ {make.Olddefconfig()}");
        if (context.DryRun) return;
        await configurator.PrepareAsync();
        await configurator.BaseAsync(baseKind, baseKind == BaseConfigKind.File ? context.CampaignPath(spec.BaseFile) : "");
        var fragment = spec.BaseFile.Length > 0 && spec.Base != BaseConfigKind.File ? context.CampaignPath(spec.BaseFile) : "";
        if (fragment.Length > 0) await configurator.ApplyAsync(KernelConfigurator.FragmentArguments(await File.ReadAllTextAsync(fragment)));
        await configurator.ApplyAsync(context.Campaign.Config.SelectMany(ConfigDelta.ArgumentsFor));
        await configurator.OlddefconfigAsync();
        var srcArch = KernelSoak.Kernel.KernelArch.SourceDir(spec.Arch);
        var checks = configurator.Verify(RequestedOption.FromCampaign(context.Campaign.Config), srcArch);
        foreach (var check in checks) context.Output.Info(check.ToString());
        var fatal = checks.Count(x => !x.Stuck && !x.Requested.Optional);
        if (fatal > 0)
            throw new FindingException($"{fatal} of {checks.Count} options of {context.Campaign.SourcePath} would not stick (see above)",
                $"lint: change [kernel.config] in {context.Campaign.SourcePath} as the lines above say (add the dependency they name, " +
                "drop the option, or mark it optional), then run LintCampaign again");
        context.Output.Info($"lint: all {checks.Count} options stick");
    }
}
