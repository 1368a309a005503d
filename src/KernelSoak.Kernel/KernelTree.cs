using KernelSoak.Campaigns;

namespace KernelSoak.Kernel;

/// <summary>
/// Where a campaign's kernel source and out-of-tree build directory are. A campaign with a patch series
/// builds in its own git worktree of the tree (<see cref="SourceDir"/>), so applying patches never
/// touches the user's checkout, the shared Debian tree, or another campaign.
/// </summary>
public sealed record KernelTree(string SourceDir, string BuildDir, string? DebianTarball)
{
    public const string DebianPrefix = "debian:";

    /// <summary>The tree the source comes from (the same as SourceDir when there is no series).</summary>
    public string BaseDir { get; init; } = SourceDir;
    public bool IsWorktree => BaseDir != SourceDir;
    public string Branch { get; init; } = "";

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
            return WithSeries(new KernelTree(source, build, tarball), campaign, cacheDir);
        }
        var expanded = tree.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), tree[2..])
            : tree;
        return WithSeries(new KernelTree(Path.GetFullPath(expanded, campaignDir), build, null), campaign, cacheDir);
    }

    private static KernelTree WithSeries(KernelTree tree, Campaign campaign, string cacheDir) =>
        campaign.Series.Patches.Count == 0 ? tree
            : tree with { SourceDir = Path.Combine(cacheDir, "trees", campaign.Id), BaseDir = tree.SourceDir, Branch = $"kernelsoak/{campaign.Id}" };
}
