using KernelSoak.Processes;

namespace KernelSoak.Kernel.Tests;

/// <summary>Mistakes a user makes before any build: each one clear, none a stack trace of make.</summary>
public class BadInputTests
{
    [Test]
    public void Missing_cross_compiler_says_which_package()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Toolchain.Version("riscv-nowhere-linux-gnu-"));
        Assert.That(e!.Message, Does.Contain("riscv-nowhere-linux-gnu-gcc is not installed").And.Contain("apt-get install"));
    }

    [Test]
    public void Tree_that_is_not_a_kernel_is_named()
    {
        var empty = Directory.CreateTempSubdirectory("ks-notree-").FullName;
        try
        {
            var tree = new KernelTree(empty, Path.Combine(empty, "build"), null);
            var configurator = new KernelConfigurator(tree, new KernelMake(KernelTreeFixture.Arm64(), tree, 2), new CommandRunner(new KernelTreeFixture.ProgressLog()));
            var e = Assert.ThrowsAsync<DirectoryNotFoundException>(() => configurator.PrepareAsync());
            Assert.That(e!.Message, Does.Contain($"{empty} is not a kernel tree"));
        }
        finally
        {
            Directory.Delete(empty, true);
        }
    }

    [Test]
    public async Task Unwritable_build_directory_is_named()
    {
        var source = await KernelTreeFixture.SourceAsync();
        var tree = new KernelTree(source, "/proc/ks-cannot-write-here", null);
        var configurator = new KernelConfigurator(tree, new KernelMake(KernelTreeFixture.Arm64(), tree, 2), new CommandRunner(new KernelTreeFixture.ProgressLog()));
        var e = Assert.ThrowsAsync<IOException>(() => configurator.PrepareAsync());
        Assert.That(e!.Message, Does.Contain("/proc/ks-cannot-write-here is not writable").And.Contain("[Paths] Cache"));
    }

    [Test]
    public void Missing_Debian_source_says_which_package() =>
        Assert.That(Assert.Throws<FileNotFoundException>(() => DebianSource.DirectoryFor("/usr/src/linux-source-9.9.tar.xz", "/tmp"))!.Message,
            Does.Contain("apt-get install linux-source-9.9"));
}
