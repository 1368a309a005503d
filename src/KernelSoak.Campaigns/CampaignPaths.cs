using KernelSoak.Settings;

namespace KernelSoak.Campaigns;

/// <summary>
/// A host path a campaign names (kernel tree, patch series, base config, external modules): "~/" is the
/// user's home, as in the plan's shell it was written from; a relative path is the campaign file's directory.
/// </summary>
public static class CampaignPaths
{
    public static string Resolve(string path, string campaignDir) => Path.GetFullPath(HostPaths.ExpandHome(path), campaignDir);
}
