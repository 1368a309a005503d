using KernelSoak.Processes;

namespace KernelSoak.Kernel.Tests;

/// <summary>The compile fingerprint's view of the tree: changes of content count, a touch does not.</summary>
public class SourceStateTests
{
    private string _repo = "";

    [SetUp]
    public async Task Repository()
    {
        _repo = Directory.CreateTempSubdirectory("ks-src-").FullName;
        await File.WriteAllTextAsync(Path.Combine(_repo, "Makefile"), "all:\n");
        await File.WriteAllTextAsync(Path.Combine(_repo, ".gitignore"), "/*\n!/debian/\n");   // as Debian's tarball ships it
        Directory.CreateDirectory(Path.Combine(_repo, "kernel"));
        await File.WriteAllTextAsync(Path.Combine(_repo, "kernel", "panic.c"), "int panic;\n");
        await SourceState.EnsureRepositoryAsync(_repo, new CommandRunner(new KernelTreeFixture.ProgressLog()));
    }

    [TearDown]
    public void Remove() => Directory.Delete(_repo, recursive: true);

    [Test]
    public void Debian_ignore_lines_are_dropped_so_the_tree_is_committed()
    {
        Assert.That(SourceState.HeadCommit(_repo), Has.Length.EqualTo(40));
        Assert.That(File.ReadAllText(Path.Combine(_repo, ".gitignore")), Does.Not.Contain("/*"));
        using var repo = new LibGit2Sharp.Repository(_repo);
        Assert.That(repo.Index.Select(e => e.Path), Does.Contain("kernel/panic.c"));
    }

    [Test]
    public void Unchanged_tree_same_fingerprint_edit_changes_it_revert_restores_it()
    {
        var clean = SourceState.Fingerprint(_repo);
        Assert.That(SourceState.Fingerprint(_repo), Is.EqualTo(clean));
        var file = Path.Combine(_repo, "kernel", "panic.c");
        File.AppendAllText(file, "/* edit */\n");
        var edited = SourceState.Fingerprint(_repo);
        Assert.That(edited, Is.Not.EqualTo(clean), "an edited .c file rebuilds");
        File.WriteAllText(file, "int panic;\n");
        Assert.That(SourceState.Fingerprint(_repo), Is.EqualTo(clean), "same content again: nothing to rebuild");
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(5));
        Assert.That(SourceState.Fingerprint(_repo), Is.EqualTo(clean), "a touch without a change is not a change");
    }

    [Test]
    public void A_new_untracked_file_changes_the_fingerprint()
    {
        var clean = SourceState.Fingerprint(_repo);
        File.WriteAllText(Path.Combine(_repo, "kernel", "new.c"), "int x;\n");
        Assert.That(SourceState.Fingerprint(_repo), Is.Not.EqualTo(clean));
    }
}
