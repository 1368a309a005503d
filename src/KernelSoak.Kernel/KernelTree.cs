using KernelSoak.Campaigns;

namespace KernelSoak.Kernel;

/// <summary>Where a campaign's kernel source and out-of-tree build directory are.</summary>
public sealed record KernelTree(string SourceDir, string BuildDir, string? DebianTarball)
{
    public const string DebianPrefix = "debian:";

    /// <summary>
    /// "debian:linux-source-6.1" unpacks /usr/src/linux-source-6.1.tar.xz into the cache; anything else is a path.
    /// The build directory is per campaign, so a vanilla and a debug build never share objects.
    /// </summary>
    public static KernelTree For(Campaign campaign, string cacheDir, string campaignDir)
    {
        var tree = campaign.Kernel.Tree;
        var build = Path.Combine(cacheDir, "builds", campaign.Id);
        if (tree.StartsWith(DebianPrefix, StringComparison.Ordinal))
        {
            var tarball = $"/usr/src/{tree[DebianPrefix.Length..]}.tar.xz";
            var source = File.Exists(tarball) ? DebianSource.DirectoryFor(tarball, cacheDir) : Path.Combine(cacheDir, "src", tree[DebianPrefix.Length..]);
            return new KernelTree(source, build, tarball);
        }
        var expanded = tree.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), tree[2..])
            : tree;
        return new KernelTree(Path.GetFullPath(expanded, campaignDir), build, null);
    }
}
