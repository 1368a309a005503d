using KernelSoak.Campaigns;
using KernelSoak.Processes;

namespace KernelSoak.Kernel.Tests;

/// <summary>
/// Where builds go, and why: a build directory that is a direct child of its source makes Kbuild's paths
/// relative, so a campaign's new worktree compiles from the objects ccache already holds (issue 20).
/// </summary>
public class BuildDirLayoutTests
{
    private string _dir = "";

    [SetUp]
    public void Scratch() => _dir = Directory.CreateTempSubdirectory("ks-layout-").FullName;

    [TearDown]
    public void Remove() => Directory.Delete(_dir, recursive: true);

    private static Campaign CampaignOf(string id, string tree, params string[] patches) => new()
    {
        Info = new CampaignInfo { Id = id },
        Kernel = new KernelSpec { Tree = tree, Arch = "arm64" },
        Series = new SeriesSpec { Patches = [.. patches.Select(p => new PatchRef { Id = p })] },
        SourcePath = "/campaigns/x.toml",
    };

    [Test]
    public void Trees_KernelSoak_owns_hold_their_build_a_users_checkout_gets_nothing_written_into_it()
    {
        var cache = Path.Combine(_dir, "cache");
        var debian = KernelTree.For(CampaignOf("demo", "debian:linux-source-6.1"), cache, "/campaigns");
        Assert.That(debian.BuildDir, Is.EqualTo(Path.Combine(debian.SourceDir, ".kernelsoak-build-demo")));

        var series = KernelTree.For(CampaignOf("walk", "debian:linux-source-6.1", "0001"), cache, "/campaigns");
        Assert.That(series.SourceDir, Is.EqualTo(Path.Combine(cache, "trees", "walk")));
        Assert.That(series.BuildDir, Is.EqualTo(Path.Combine(cache, "trees", "walk", ".kernelsoak-build-walk")));

        var own = KernelTree.For(CampaignOf("mine", "/home/me/linux"), cache, "/campaigns");
        Assert.That(own.BuildDir, Is.EqualTo(Path.Combine(cache, "builds", "mine")), "the user's checkout stays as the user left it");

        var ownSeries = KernelTree.For(CampaignOf("mine", "/home/me/linux", "0001"), cache, "/campaigns");
        Assert.That(ownSeries.BuildDir, Is.EqualTo(Path.Combine(cache, "trees", "mine", ".kernelsoak-build-mine")), "the worktree is ours");
    }

    [Test]
    public async Task A_build_left_where_the_worktree_goes_is_kept_and_anything_else_there_stops_the_run()
    {
        var base_ = await SmallRepositoryAsync();
        var tree = new KernelTree(Path.Combine(_dir, "trees", "walk"), "", null) { BaseDir = base_, Branch = "kernelsoak/walk" };
        var build = Path.Combine(tree.SourceDir, ".kernelsoak-build-walk");
        Directory.CreateDirectory(Path.Combine(build, "kernel"));
        await File.WriteAllTextAsync(Path.Combine(build, "kernel", "panic.o"), "object");

        await new PatchSeries(tree, Runner()).EnsureWorktreeAsync();

        Assert.That(File.Exists(Path.Combine(tree.SourceDir, "Makefile")), "the worktree is checked out");
        Assert.That(File.ReadAllText(Path.Combine(build, "kernel", "panic.o")), Is.EqualTo("object"), "the build survived");
        Assert.That(Directory.Exists(tree.SourceDir + ".builds-aside"), Is.False);

        var other = new KernelTree(Path.Combine(_dir, "trees", "other"), "", null) { BaseDir = base_, Branch = "kernelsoak/other" };
        Directory.CreateDirectory(other.SourceDir);
        await File.WriteAllTextAsync(Path.Combine(other.SourceDir, "notes.txt"), "mine");
        var e = Assert.ThrowsAsync<IOException>(() => new PatchSeries(other, Runner()).EnsureWorktreeAsync());
        Assert.That(e!.Message, Does.Contain("notes.txt").And.Contain("move it away"));
        Assert.That(File.ReadAllText(Path.Combine(other.SourceDir, "notes.txt")), Is.EqualTo("mine"));
    }

    [Test]
    public async Task Build_directories_inside_the_tree_are_not_source_changes_even_when_no_gitignore_hides_them()
    {
        var repo = await SmallRepositoryAsync();
        var clean = SourceState.Fingerprint(repo);
        Directory.CreateDirectory(Path.Combine(repo, ".kernelsoak-build-demo"));
        await File.WriteAllTextAsync(Path.Combine(repo, ".kernelsoak-build-demo", "vmlinux.o"), "object");
        Assert.That(SourceState.Fingerprint(repo), Is.EqualTo(clean));
        await File.WriteAllTextAsync(Path.Combine(repo, "new.c"), "int x;\n");
        Assert.That(SourceState.Fingerprint(repo), Is.Not.EqualTo(clean), "a real untracked file still counts");
    }

    /// <summary>
    /// The real thing: Debian's kernel tree and a campaign worktree of it made by PatchSeries; Kbuild's own
    /// host tools compiled through ccache in each. The worktree hits every object the base tree cached; the
    /// same worktree built into a directory beside it (the old layout) misses every one.
    /// </summary>
    [Test]
    public async Task A_new_worktree_compiles_from_the_objects_ccache_holds_for_the_base_tree()
    {
        var source = await KernelTreeFixture.SourceAsync();
        var runner = Runner();
        await SourceState.EnsureRepositoryAsync(source, runner);
        var tree = new KernelTree(Path.Combine(_dir, "trees", "layout"), "", null) { BaseDir = source, Branch = "kernelsoak/layout-test" };
        await new PatchSeries(tree, runner).EnsureWorktreeAsync();
        var environment = new Dictionary<string, string?> { ["CCACHE_DIR"] = Path.Combine(_dir, "ccache"), ["CCACHE_NOHASHDIR"] = "1" };
        try
        {
            var baseStats = await TinyconfigAsync(source, KernelTree.BuildDirIn(source, "layout-test-" + Path.GetFileName(_dir)), environment, runner);
            Assert.That(baseStats.Misses, Is.GreaterThan(0), "the base tree fills the cache");
            var worktree = await TinyconfigAsync(tree.SourceDir, KernelTree.BuildDirIn(tree.SourceDir, "layout"), environment, runner);
            Assert.That((worktree.Hits - baseStats.Hits, worktree.Misses - baseStats.Misses), Is.EqualTo((baseStats.Misses, 0)), "every object from the cache");
            var beside = await TinyconfigAsync(tree.SourceDir, Path.Combine(_dir, "builds", "layout"), environment, runner);
            Assert.That(beside.Misses - worktree.Misses, Is.EqualTo(baseStats.Misses), "an absolute srctree misses: what the layout fixes");
        }
        finally
        {
            Directory.Delete(KernelTree.BuildDirIn(source, "layout-test-" + Path.GetFileName(_dir)), recursive: true);
            await runner.RunAsync(new CommandLine("git", ["-C", source, "worktree", "remove", "--force", tree.SourceDir]));
            await runner.RunAsync(new CommandLine("git", ["-C", source, "branch", "-D", tree.Branch]));
        }
    }

    private sealed record CcacheStats(int Hits, int Misses);

    private static async Task<CcacheStats> TinyconfigAsync(string source, string build, Dictionary<string, string?> environment, CommandRunner runner)
    {
        var make = await runner.RunAsync(new CommandLine("make", ["-C", source, $"O={build}", "ARCH=arm64", "CROSS_COMPILE=aarch64-linux-gnu-", "HOSTCC=ccache gcc", "tinyconfig"]), environment: environment);
        Assert.That(make.Succeeded, string.Join('\n', make.Output.TakeLast(5)));
        var stats = await runner.RunAsync(new CommandLine("ccache", ["--print-stats"]), environment: environment);
        int Count(string name) => stats.Output.Select(l => l.Split('\t')).Where(f => f.Length == 2 && f[0] == name).Sum(f => int.Parse(f[1]));
        return new CcacheStats(Count("direct_cache_hit") + Count("preprocessed_cache_hit"), Count("cache_miss"));
    }

    private async Task<string> SmallRepositoryAsync()
    {
        var repo = Path.Combine(_dir, "base");
        Directory.CreateDirectory(repo);
        await File.WriteAllTextAsync(Path.Combine(repo, "Makefile"), "all:\n");
        await SourceState.EnsureRepositoryAsync(repo, Runner());
        return repo;
    }

    private static CommandRunner Runner() => new(new KernelTreeFixture.ProgressLog());
}
