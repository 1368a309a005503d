using KernelSoak.Processes;

namespace KernelSoak.Kernel.Tests;

/// <summary>
/// git am on a machine whose user has no git identity (a fresh one: no ~/.gitconfig, a host name without a
/// domain). Made strict here with user.useConfigOnly, so the test fails the same way on any machine.
/// </summary>
[TestFixture, NonParallelizable]
public class PatchSeriesTests
{
    private static readonly Dictionary<string, string?> StrictGit = new()
    {
        ["GIT_CONFIG_GLOBAL"] = "/dev/null", ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_CONFIG_COUNT"] = "1", ["GIT_CONFIG_KEY_0"] = "user.useConfigOnly", ["GIT_CONFIG_VALUE_0"] = "true",
    };

    private readonly Dictionary<string, string?> _saved = [];
    private string _repo = "";

    private const string Good = """
        From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
        From: Test Author <test@example.org>
        Subject: [PATCH] bugs: reword

        ---
        bugs.c | 2 +-
         1 file changed, 1 insertion(+), 1 deletion(-)

        diff --git a/bugs.c b/bugs.c
        --- a/bugs.c
        +++ b/bugs.c
        @@ -1,3 +1,3 @@
         int a;
        -int b;
        +int b2;
         int c;
        --
        2.39.5

        """;

    private static readonly string Stale = Good.Replace("-int b;\n+int b2;", "-int x;\n+int y;", StringComparison.Ordinal)
        .Replace("--- a/bugs.c", "index 1111111..2222222 100644\n--- a/bugs.c", StringComparison.Ordinal);

    [SetUp]
    public async Task RepositoryWithoutIdentity()
    {
        foreach (var (k, v) in StrictGit) { _saved[k] = Environment.GetEnvironmentVariable(k); Environment.SetEnvironmentVariable(k, v); }
        _repo = Directory.CreateTempSubdirectory("ks-am-").FullName;
        await File.WriteAllTextAsync(Path.Combine(_repo, "bugs.c"), "int a;\nint b;\nint c;\n");
        await SourceState.EnsureRepositoryAsync(_repo, new CommandRunner(new KernelTreeFixture.ProgressLog()));
        await File.WriteAllTextAsync(Path.Combine(_repo, "good.patch"), Good);
        await File.WriteAllTextAsync(Path.Combine(_repo, "stale.patch"), Stale);
        File.AppendAllText(Path.Combine(_repo, ".git", "info", "exclude"), "*.patch\n");
    }

    [TearDown]
    public void Restore()
    {
        foreach (var (k, v) in _saved) Environment.SetEnvironmentVariable(k, v);
        Directory.Delete(_repo, recursive: true);
    }

    private PatchSeries Series() => new(new KernelTree(_repo, Path.Combine(_repo, "build"), null), new CommandRunner(new KernelTreeFixture.ProgressLog()));

    [Test]
    public async Task A_patch_that_does_not_apply_leaves_no_am_in_progress_and_the_next_one_applies()
    {
        var series = Series();
        var head = await series.HeadAsync();
        Assert.ThrowsAsync<PatchApplyException>(() => series.ApplyAsync(Path.Combine(_repo, "stale.patch"), "0003"));
        Assert.That(Directory.Exists(Path.Combine(_repo, ".git", "rebase-apply")), Is.False, "the failed am was ended (main's abort died without an identity)");
        Assert.That(await series.HeadAsync(), Is.EqualTo(head));

        await series.ApplyAsync(Path.Combine(_repo, "good.patch"), "0001");
        Assert.That(await File.ReadAllTextAsync(Path.Combine(_repo, "bugs.c")), Does.Contain("int b2;"));
    }

    [Test]
    public async Task An_am_a_killed_run_left_in_progress_does_not_block_the_next_patch()
    {
        var runner = new CommandRunner(new KernelTreeFixture.ProgressLog());
        var left = await runner.RunAsync(new CommandLine("git", ["-C", _repo, "-c", "user.name=x", "-c", "user.email=x@y", "am", "--3way", Path.Combine(_repo, "stale.patch")]));
        Assert.That(left.Succeeded, Is.False);
        Assert.That(Directory.Exists(Path.Combine(_repo, ".git", "rebase-apply")), Is.True, "precondition: an am in progress");

        await Series().ApplyAsync(Path.Combine(_repo, "good.patch"), "0001");
        Assert.That(await File.ReadAllTextAsync(Path.Combine(_repo, "bugs.c")), Does.Contain("int b2;"));
    }
}
