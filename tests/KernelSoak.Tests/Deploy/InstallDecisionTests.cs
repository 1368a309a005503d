using KernelSoak.Boot;
using KernelSoak.Campaigns;
using KernelSoak.Deploy;
using KernelSoak.Kernel;
using KernelSoak.Kernel.Kconfig;

namespace KernelSoak.Tests.Deploy;

/// <summary>The install's and preflight's small decisions: which label boots what, tools, space, arch names, a running config that is another build.</summary>
public class InstallDecisionTests
{
    private const string Extlinux = """
        default good
        label good
            kernel /Image-6.1.0
        label kernelsoak
            kernel /Image-6.1.0-ks
        """;

    [Test]
    public void Which_label_boots_which_kernel()
    {
        var config = ExtlinuxConfig.Parse(Extlinux);
        Assert.Multiple(() =>
        {
            Assert.That(ExtlinuxQueries.BootsImage(Extlinux, "kernelsoak", "/Image-6.1.0-ks"), Is.True);
            Assert.That(ExtlinuxQueries.BootsImage(Extlinux, "kernelsoak", "/Image-6.1.0"), Is.False);
            Assert.That(ExtlinuxQueries.BootsImage("label\n", "kernelsoak", "/Image-6.1.0-ks"), Is.False, "unreadable: it does not");
            Assert.That(ExtlinuxQueries.LabelRunning(config, "good", "6.1.0-ks"), Is.EqualTo("kernelsoak"));
            Assert.That(ExtlinuxQueries.LabelRunning(config, "good", "6.1.0"), Is.Null, "the default runs");
            Assert.That(ExtlinuxQueries.LabelRunning(config, "good", "6.2.0"), Is.Null);
        });
    }

    [Test]
    public void Initramfs_tools_and_the_space_an_install_needs()
    {
        var install = new InstallSpec { MinFreeMb = 30, Dtb = "rockchip/board.dtb", Initramfs = InitramfsTool.Dracut };
        ManifestFile File(string rel, long size) => new("/b/" + rel, rel, size, "");
        var manifest = new BuildManifest("6.1.0-ks", "arm64", "fp", File("Image", 100L << 20), File("System.map", 1), File(".config", 1),
            [File("arch/arm64/boot/dts/rockchip/board.dtb", 1L << 20), File("arch/arm64/boot/dts/other.dtb", 50L << 20)], "/m", [], DateTimeOffset.UnixEpoch);
        Assert.Multiple(() =>
        {
            Assert.That(InitramfsTools.Program(InitramfsTool.Dracut), Is.EqualTo("dracut"));
            Assert.That(InitramfsTools.Program(InitramfsTool.None), Is.Empty);
            Assert.That(InitramfsTools.Command(InitramfsTool.UpdateInitramfs, "/boot/my firmware"), Is.EqualTo("update-initramfs -c -k {release} -b '/boot/my firmware'"));
            Assert.That(InitramfsTools.BootSpaceNeeded(install, null), Is.EqualTo(30L << 20), "before a build: the floor");
            Assert.That(InitramfsTools.BootSpaceNeeded(install, manifest), Is.EqualTo(((100L << 20) + (1L << 20) + (50L << 20)) * 11 / 10),
                "Image + its DTB + half an Image for the initramfs, + 10 %");
        });
    }

    [Test]
    public void Arch_names()
    {
        Assert.Multiple(() =>
        {
            Assert.That(KernelArch.SourceDir("x86_64"), Is.EqualTo("x86"));
            Assert.That(KernelArch.SourceDir("arm64"), Is.EqualTo("arm64"));
            Assert.That(KernelArch.UnameMachine("arm64"), Is.EqualTo("aarch64"));
            Assert.That(KernelArch.UnameMachine("x86"), Is.EqualTo("x86_64"));
            Assert.That(KernelArch.UnameMachine("riscv"), Is.EqualTo("riscv"));
        });
    }

    [Test]
    public void A_running_kernel_without_the_requested_options_is_another_build()
    {
        List<ConfigOption> requested =
        [
            new() { Name = "KASAN", Value = "y" },
            new() { Name = "KCSAN", Value = "y", Optional = true },
            new() { Name = "DEBUG_INFO_BTF", Value = "undef" },
        ];
        Assert.Multiple(() =>
        {
            Assert.That(RunningConfig.Missing(requested, DotConfig.Parse("CONFIG_KASAN=y\n")), Is.Empty);
            Assert.That(RunningConfig.Missing(requested, DotConfig.Parse("# CONFIG_KASAN is not set\nCONFIG_SLUB=y\n")), Is.EqualTo(new[] { "KASAN=y (running: n)" }));
            Assert.That(RunningConfig.Missing(requested, DotConfig.Parse("")), Is.Empty, "no /proc/config.gz: nothing proven");
        });
    }
}
