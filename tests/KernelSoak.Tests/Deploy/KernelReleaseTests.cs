using KernelSoak.Deploy;

namespace KernelSoak.Tests.Deploy;

/// <summary>A kernel release becomes /lib/modules/&lt;release&gt; and boot file names, and is deleted by: it is checked before any path is made.</summary>
public class KernelReleaseTests
{
    private static readonly InstallLayout Layout = new("/boot/firmware", "/boot/firmware/extlinux/extlinux.conf", "Image-{release}", "test", "good", [], 30);

    [TestCase("6.1.0-28-arm64")]
    [TestCase("7.0.0-rc3-lockdep+")]
    [TestCase("6.12.9~bpo12+1")]
    [TestCase("6.1.192-lockdep-kasan-ks")]
    public void Real_releases_pass(string release) =>
        Assert.That(Layout.ReleasePaths(release), Is.EqualTo(new[] { $"/boot/firmware/Image-{release}", $"/lib/modules/{release}" }));

    [TestCase("", "--release: kernel release '' is empty")]
    [TestCase(".", "--release: kernel release '.' is a directory reference")]
    [TestCase("..", "--release: kernel release '..' is a directory reference")]
    [TestCase("../firmware", "--release: kernel release '../firmware' holds a '/'")]
    [TestCase("6.1.0 $(reboot)", "--release: kernel release '6.1.0 $(reboot)' holds characters no kernel release has")]
    [TestCase("-rf", "--release: kernel release '-rf' holds characters no kernel release has")]
    public void Releases_that_are_no_release_are_refused_naming_the_setting(string release, string message)
    {
        Assert.That(Assert.Throws<InvalidReleaseException>(() => KernelRelease.Check(release, "--release"))!.Message, Does.StartWith(message));
        Assert.Throws<InvalidReleaseException>(() => Layout.ModulesDir(release));
        Assert.Throws<InvalidReleaseException>(() => Layout.ImagePath(release));
    }

    [Test]
    public void A_release_longer_than_the_kernel_allows_is_refused() =>
        Assert.That(Assert.Throws<InvalidReleaseException>(() => KernelRelease.Check(new string('a', 65), "release"))!.Message, Does.Contain("longer than the kernel's 64 characters"));
}
