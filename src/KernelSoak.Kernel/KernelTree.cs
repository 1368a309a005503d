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

    /// <summary>Build directories inside a tree KernelSoak owns start with this (the kernel's .gitignore hides ".*").</summary>
    public const string BuildDirPrefix = ".kernelsoak-build-";

    /// <summary>
    /// A build directory that is a direct child of its source: Kbuild then uses srctree="..", so every path
    /// in a compile command is relative and equal in every tree of this kernel, and ccache (hash_dir off)
    /// hits across the Debian tree, the board's build and each campaign's worktree. With O= anywhere else
    /// srctree is absolute and a new worktree path misses every object.
    /// </summary>
    public static string BuildDirIn(string sourceDir, string campaignId) => Path.Combine(sourceDir, BuildDirPrefix + campaignId);

    /// <summary>
    /// "debian:linux-source-6.1" unpacks /usr/src/linux-source-6.1.tar.xz into the cache; anything else is a path.
    /// The build directory is per campaign, so a vanilla and a debug build never share objects. It lives in
    /// the source tree when KernelSoak owns that tree (the unpacked Debian source, a series worktree); a
    /// user's own checkout gets nothing written into it and builds in the cache.
    /// </summary>
    public static KernelTree For(Campaign campaign, string cacheDir, string campaignDir)
    {
        var tree = campaign.Kernel.Tree;
        var build = Path.Combine(cacheDir, "builds", campaign.Id);
        if (tree.StartsWith(DebianPrefix, StringComparison.Ordinal))
        {
            var tarball = $"/usr/src/{tree[DebianPrefix.Length..]}.tar.xz";
            var source = File.Exists(tarball) ? DebianSource.DirectoryFor(tarball, cacheDir) : Path.Combine(cacheDir, "src", tree[DebianPrefix.Length..]);
            return InOwnedTree(WithSeries(new KernelTree(source, build, tarball), campaign, cacheDir), campaign);
        }
        var own = WithSeries(new KernelTree(CampaignPaths.Resolve(tree, campaignDir), build, null), campaign, cacheDir);
        return own.IsWorktree ? InOwnedTree(own, campaign) : own;
    }

    private static KernelTree InOwnedTree(KernelTree tree, Campaign campaign) => tree with { BuildDir = BuildDirIn(tree.SourceDir, campaign.Id) };

    private static KernelTree WithSeries(KernelTree tree, Campaign campaign, string cacheDir) =>
        campaign.Series.Patches.Count == 0 ? tree
            : tree with { SourceDir = Path.Combine(cacheDir, "trees", campaign.Id), BaseDir = tree.SourceDir, Branch = $"kernelsoak/{campaign.Id}" };
}
