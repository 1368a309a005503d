namespace KernelSoak.Kernel.Tests;

/// <summary>An out-of-tree module is built from a copy: the user's directory stays clean, unchanged files keep their times.</summary>
public class ExternalModuleTests
{
    private string _root = null!;
    private ExternalModule _module = null!;

    [SetUp]
    public void MakeModule()
    {
        _root = Directory.CreateTempSubdirectory("ks-extmod-").FullName;
        var source = Path.Combine(_root, "src", "mydrv");
        Directory.CreateDirectory(Path.Combine(source, "include"));
        File.WriteAllText(Path.Combine(source, "Makefile"), "obj-m += mydrv.o\n");
        File.WriteAllText(Path.Combine(source, "mydrv.c"), "int x;\n");
        File.WriteAllText(Path.Combine(source, "include", "mydrv.h"), "#define X 1\n");
        _module = ExternalModule.For(source, new KernelTree(Path.Combine(_root, "linux"), Path.Combine(_root, "build"), null));
    }

    [TearDown]
    public void Remove() => Directory.Delete(_root, recursive: true);

    [Test]
    public void Is_copied_under_the_build_directory_by_name()
    {
        _module.SyncCopy();
        Assert.That(_module.Name, Is.EqualTo("mydrv"));
        Assert.That(_module.BuildDir, Is.EqualTo(Path.Combine(_root, "build", "external", "mydrv")));
        Assert.That(File.ReadAllText(Path.Combine(_module.BuildDir, "include", "mydrv.h")), Is.EqualTo("#define X 1\n"));
    }

    [Test]
    public void A_second_copy_leaves_unchanged_files_alone_and_drops_removed_sources_but_not_objects()
    {
        _module.SyncCopy();
        var copied = Path.Combine(_module.BuildDir, "mydrv.c");
        var old = DateTime.UtcNow.AddHours(-1);
        File.SetLastWriteTimeUtc(copied, old);
        File.WriteAllText(Path.Combine(_module.BuildDir, "mydrv.o"), "object");
        File.Delete(Path.Combine(_module.SourceDir, "include", "mydrv.h"));
        File.WriteAllText(Path.Combine(_module.SourceDir, "Makefile"), "obj-m += mydrv.o\nccflags-y += -DY\n");

        _module.SyncCopy();

        Assert.That(File.GetLastWriteTimeUtc(copied), Is.EqualTo(old), "unchanged: Kbuild must not see it as new");
        Assert.That(File.ReadAllText(Path.Combine(_module.BuildDir, "Makefile")), Does.Contain("-DY"));
        Assert.That(File.Exists(Path.Combine(_module.BuildDir, "include", "mydrv.h")), Is.False, "removed from the source");
        Assert.That(File.Exists(Path.Combine(_module.BuildDir, "mydrv.o")), Is.True, "build outputs are Kbuild's");
    }

    [Test]
    public void Fingerprint_follows_sources_only()
    {
        var before = _module.Fingerprint();
        File.WriteAllText(Path.Combine(_module.SourceDir, "mydrv.o"), "a user's stray object");
        Assert.That(_module.Fingerprint(), Is.EqualTo(before));
        File.AppendAllText(Path.Combine(_module.SourceDir, "mydrv.c"), "int y;\n");
        Assert.That(_module.Fingerprint(), Is.Not.EqualTo(before));
    }

    [Test]
    public void A_missing_directory_names_the_campaign_key()
    {
        var missing = ExternalModule.For(Path.Combine(_root, "nowhere"), new KernelTree(_root, Path.Combine(_root, "build"), null));
        var e = Assert.Throws<KernelBuildException>(() => missing.Fingerprint());
        Assert.That(e!.Message, Does.Contain("nowhere").And.Contain("kernel.external_modules"));
    }
}
