using System.Globalization;
using KernelSoak.Campaigns;
using KernelSoak.Processes;

namespace KernelSoak.Kernel;

public enum OptionType { Bool, Tristate, Int, Hex, String }

/// <summary>
/// A campaign's config options as scripts/config arguments with the right semantics: bools/tristates
/// by --enable/--module/--disable, ints and hex by --set-val, strings by --set-str ("--enable X=2000"
/// writes CONFIG_X=2000=y, which Kconfig silently ignores).
/// </summary>
public static class ConfigDelta
{
    public static OptionType TypeOf(ConfigOption option)
    {
        if (option.Type.Length > 0)
            return Enum.TryParse<OptionType>(option.Type, ignoreCase: true, out var t) ? t
                : throw new CampaignException($"config {option.Name}: type '{option.Type}' is not bool, tristate, int, hex or string");
        return option.Value switch
        {
            "y" or "n" => OptionType.Bool,
            "m" => OptionType.Tristate,
            _ when long.TryParse(option.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) => OptionType.Int,
            _ when option.Value.StartsWith("0x", StringComparison.OrdinalIgnoreCase) => OptionType.Hex,
            _ => OptionType.String,
        };
    }

    public static IEnumerable<string> ArgumentsFor(ConfigOption option)
    {
        if (option.Value == "undef") return ["--undefine", option.Name];
        return (TypeOf(option), option.Value) switch
        {
            (OptionType.Bool or OptionType.Tristate, "y") => ["--enable", option.Name],
            (OptionType.Bool or OptionType.Tristate, "m") => ["--module", option.Name],
            (OptionType.Bool or OptionType.Tristate, "n") => ["--disable", option.Name],
            (OptionType.Int or OptionType.Hex, var v) => ["--set-val", option.Name, v],
            (OptionType.String, var v) => ["--set-str", option.Name, v],
            var (type, v) => throw new CampaignException($"config {option.Name}: '{v}' is not a value for a {type.ToString().ToLowerInvariant()} option (y, m or n)"),
        };
    }

    /// <summary>The scripts/config call that applies the whole delta (LOCALVERSION included).</summary>
    public static CommandLine ScriptsConfig(Campaign campaign, KernelTree tree)
    {
        var args = new List<string> { "--file", Path.Combine(tree.BuildDir, ".config") };
        foreach (var option in campaign.Config) args.AddRange(ArgumentsFor(option));
        if (campaign.Kernel.Localversion.Length > 0 && campaign.Config.All(o => o.Name != "LOCALVERSION"))
            args.AddRange(["--set-str", "LOCALVERSION", campaign.Kernel.Localversion]);
        return new CommandLine(Path.Combine(tree.SourceDir, "scripts", "config"), args);
    }

    /// <summary>The line the final .config must hold for the option to have stuck.</summary>
    public static string ExpectedLine(ConfigOption option) => (TypeOf(option), option.Value) switch
    {
        (_, "undef") => "",
        (OptionType.Bool or OptionType.Tristate, "n") => $"# CONFIG_{option.Name} is not set",
        (OptionType.String, var v) => $"CONFIG_{option.Name}=\"{v}\"",
        (_, var v) => $"CONFIG_{option.Name}={v}",
    };
}
