using KernelSoak.Boot;

namespace KernelSoak.Tests.Boot;

public class ExtlinuxConfigTests
{
    private static string Read(string name) => File.ReadAllText(Repo.TestData("extlinux", name));

    public static IEnumerable<string> Files() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "testdata", "extlinux"), "*.conf").Select(Path.GetFileName).Order()!;

    [TestCaseSource(nameof(Files))]
    public void Untouched_files_round_trip_byte_for_byte(string file)
    {
        var text = Read(file);
        var config = ExtlinuxConfig.Parse(text);
        Assert.That(config.Render(), Is.EqualTo(text));
        Assert.That(config.Labels, Is.Not.Empty);
        Assert.DoesNotThrow(config.Validate);
    }

    [Test]
    public void Seed_layout_has_three_labels_and_the_vanilla_default()
    {
        var c = ExtlinuxConfig.Parse(Read("seed-three-labels.conf"));
        Assert.That(c.Labels.Select(l => l.Name), Is.EqualTo(new[] { "arch_devices", "arch_devices_lockdep", "arch_devices_lockdep_kasan" }));
        Assert.That(c.Default, Is.EqualTo("arch_devices"));
        Assert.That(c.Timeout, Is.EqualTo(50));
        Assert.That(c.Labels[1].Fdt, Is.EqualTo("/rk3588-coolpi-cm5-genbook.dtb-7.0.0-rc3-lockdep+"));
        Assert.That(c.Labels[2].Append, Does.EndWith("page_poison=1 kasan_multi_shot"));
    }

    [Test]
    public void Debian_labels_use_linux_and_fdtdir()
    {
        var c = ExtlinuxConfig.Parse(Read("debian-u-boot-menu.conf"));
        Assert.That(c.Labels[0].Kernel, Is.EqualTo("/boot/vmlinuz-6.1.0-28-arm64"));
        Assert.That(c.Labels[0].FdtDir, Is.EqualTo("/usr/lib/linux-image-6.1.0-28-arm64/"));
        Assert.That(c.DefaultLabel!.Name, Is.EqualTo("l0"));
    }

    [Test]
    public void Adding_a_label_keeps_every_other_line_and_the_default()
    {
        var text = Read("seed-three-labels.conf");
        var c = ExtlinuxConfig.Parse(text).WithoutLabel("arch_devices_lockdep_kasan")
            .WithLabel(new ExtlinuxLabel("arch_devices_lockdep_kasan") { Kernel = "/Image-7.0.0-rc3-lockdep-kasan", Append = "root=x page_poison=1" });
        var rendered = c.Render();
        Assert.That(rendered, Does.StartWith(text[..text.IndexOf("label arch_devices_lockdep_kasan", StringComparison.Ordinal)]));
        Assert.That(rendered, Does.Contain("label arch_devices_lockdep_kasan\r\n    kernel /Image-7.0.0-rc3-lockdep-kasan\r\n    append root=x page_poison=1\r\n"), "file's CRLF and indentation");
        Assert.That(c.Default, Is.EqualTo("arch_devices"));
        Assert.DoesNotThrow(c.Validate);
    }

    [Test]
    public void Replacing_a_label_in_the_middle_touches_only_its_block()
    {
        var text = Read("debian-u-boot-menu.conf");
        var c = ExtlinuxConfig.Parse(text).WithLabel(new ExtlinuxLabel("l0") { Kernel = "/boot/vmlinuz-new", Append = "ro" });
        var rendered = c.Render();
        Assert.That(rendered, Does.Contain("label l0\n\tkernel /boot/vmlinuz-new\n\tappend ro\n"));
        Assert.That(rendered, Does.EndWith(text[text.IndexOf("\nlabel l0r", StringComparison.Ordinal)..]), "the next label is byte-identical");
        Assert.That(c.Labels.Select(l => l.Name), Is.EqualTo(new[] { "l0", "l0r" }));
    }

    [Test]
    public void Default_flip_and_back_restores_the_file()
    {
        var text = Read("kernelsoak-board.conf");
        var c = ExtlinuxConfig.Parse(text).WithLabel(new ExtlinuxLabel("test") { Kernel = "/Image-test" });
        var flipped = c.WithDefault("test");
        Assert.That(flipped.Default, Is.EqualTo("test"));
        Assert.That(flipped.WithDefault("known-good").WithoutLabel("test").Render(), Is.EqualTo(text));
        Assert.Throws<ExtlinuxException>(() => c.WithDefault("nope"));
    }

    [TestCase("default missing\nlabel a\n  kernel /a\n", "names no label")]
    [TestCase("menu title Boot\ndefault a\nlabel a\n  kernel /a\n", "waits for a key forever")]
    [TestCase("prompt 1\nlabel a\n  kernel /a\n", "waits for a key forever")]
    [TestCase("timeout 10\n", "no label")]
    [TestCase("label a\n  append x\n", "has no kernel")]
    public void Configs_that_strand_a_headless_board_are_refused(string text, string why)
    {
        var e = Assert.Throws<ExtlinuxException>(() => ExtlinuxConfig.Parse(text).Validate());
        Assert.That(e!.Message, Does.Contain(why));
    }

    [TestCase("default a\nkernel /a\nlabel a\n  kernel /a\n", "line 2: 'kernel' outside any label")]
    [TestCase("label a\n  kernel\n", "line 2: 'kernel' without a path")]
    [TestCase("label\n", "line 1: 'label' without a name")]
    [TestCase("timeout soon\nlabel a\n kernel /a\n", "line 1: timeout 'soon' is not a number (tenths of a second)")]
    public void Broken_files_say_which_line(string text, string message) =>
        Assert.That(Assert.Throws<ExtlinuxException>(() => ExtlinuxConfig.Parse(text))!.Message, Is.EqualTo(message));
}
