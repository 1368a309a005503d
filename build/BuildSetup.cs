using Cake.Frosting;
using KernelSoak.Frosting;
using KernelSoak.Campaigns;
using KernelSoak.Settings;

namespace KernelSoak.Build;

/// <summary>Settings and campaign, bound once per process from cake.config, environment and arguments.</summary>
public sealed record BuildSetup(string Root, KernelSoakSettings Settings, Campaign Campaign, IReadOnlyList<KeyValuePair<string, string>> Arguments)
{
    private static readonly Lock Gate = new();
    private static (HostArguments Args, BuildSetup Setup)? _cached;

    public static BuildSetup For(HostArguments arguments)
    {
        lock (Gate)
        {
            if (_cached is { } c && ReferenceEquals(c.Args, arguments)) return c.Setup;
            var setup = Load(arguments, RepositoryRoot.Find(), EnvironmentVariables());
            _cached = (arguments, setup);
            return setup;
        }
    }

    public static BuildSetup Load(HostArguments arguments, string root, IReadOnlyDictionary<string, string> environment)
    {
        try
        {
            var (settings, rest) = KernelSoakSettings.Load(root, environment, arguments.Values);
            var campaign = CampaignLoader.Load(CampaignLoader.Resolve(settings.Campaign.Name, root));
            return new BuildSetup(root, settings, campaign, rest);
        }
        catch (Exception e) when (e is SettingsException or CampaignException)
        {
            throw new UserErrorException(e.Message, e);
        }
    }

    public static Dictionary<string, string> EnvironmentVariables() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
}
