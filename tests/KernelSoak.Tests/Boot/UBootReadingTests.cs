using KernelSoak.Boot;

namespace KernelSoak.Tests.Boot;

/// <summary>
/// The label U-Boot boots, as boot/pxe_utils.c decides it (parse_pxefile_top, parse_label, parse_label_menu,
/// pxe_menu_to_menu), on real-shaped files and on the shapes that tell the rules apart.
/// </summary>
public class UBootReadingTests
{
    private static string Read(string name) => File.ReadAllText(Repo.TestData("extlinux", name));

    /// <summary>Every corpus file with the label U-Boot boots from it (testdata/extlinux/SOURCES.md says where each comes from).</summary>
    private static readonly Dictionary<string, string> Booted = new()
    {
        ["armbian.conf"] = "Armbian",
        ["armbian-menu-default.conf"] = "known-good",                        // "menu default", no top-level default
        ["debian-u-boot-menu.conf"] = "l0",
        ["debian-u-boot-menu-prompt-fdt.conf"] = "l1",
        ["debian-u-boot-menu-separate-boot.conf"] = "l0",
        ["fedora.conf"] = "Fedora Linux (6.11.4-301.fc41.aarch64) 41 (Server Edition)",
        ["kernelsoak-board.conf"] = "known-good",
        ["radxa-ontimeout.conf"] = "l1",                                     // "ontimeout" sets the default
        ["rockchip-bsp-trailing-default.conf"] = "kernel-5.10",              // "default" after the labels is top-level
        ["seed-three-labels.conf"] = "arch_devices",
        ["yocto-uppercase.conf"] = "Poky (default)",                         // keywords in upper case
    };

    public static IEnumerable<string> Files() => Booted.Keys.Order(StringComparer.Ordinal);

    [Test]
    public void Every_corpus_file_has_its_expected_default() =>
        Assert.That(Directory.GetFiles(Repo.TestData("extlinux"), "*.conf").Select(Path.GetFileName).Order(StringComparer.Ordinal), Is.EqualTo(Files()));

    [TestCaseSource(nameof(Files))]
    public void The_effective_default_is_the_label_U_Boot_boots(string file) =>
        Assert.That(ExtlinuxConfig.Parse(Read(file)).DefaultLabel?.Name, Is.EqualTo(Booted[file]));

    [TestCaseSource(nameof(Files))]
    public void A_flip_boots_the_test_label_and_its_restore_gives_the_file_back_byte_for_byte(string file)
    {
        var text = Read(file);
        var original = ExtlinuxConfig.Parse(text);
        var previous = original.DefaultLabel!.Name;
        var installed = original.WithLabel(new ExtlinuxLabel("ks-test") { Kernel = "/Image-ks-test", Append = "root=/dev/x" });
        Assert.That(installed.DefaultLabel!.Name, Is.EqualTo(previous), "adding the label leaves the default");

        var flipped = installed.WithDefault("ks-test");
        Assert.That(flipped.DefaultLabel!.Name, Is.EqualTo("ks-test"), flipped.Render());
        Assert.DoesNotThrow(flipped.Validate);
        var defaults = flipped.Render().Split('\n').Count(l => l.TrimStart().StartsWith("default", StringComparison.OrdinalIgnoreCase) || l.TrimStart().StartsWith("ontimeout", StringComparison.OrdinalIgnoreCase));
        Assert.That(defaults, Is.EqualTo(text.Split('\n').Count(l => l.TrimStart().StartsWith("default", StringComparison.OrdinalIgnoreCase) || l.TrimStart().StartsWith("ontimeout", StringComparison.OrdinalIgnoreCase)) is var n && n > 0 ? n : 1),
            "a flip never adds a second default (U-Boot would take the last)");

        var restored = flipped.WithDefault(previous);
        Assert.That(restored.DefaultLabel!.Name, Is.EqualTo(previous));
        Assert.That(restored.WithoutLabel("ks-test").Render(), Is.EqualTo(text));
    }

    [TestCase("label a\n kernel /a\nlabel b\n kernel /b\ndefault b\n", "b", TestName = "A default after the labels is top-level")]
    [TestCase("default a\nlabel a\n kernel /a\nlabel b\n menu default\n kernel /b\n", "a", TestName = "An earlier default wins over menu default")]
    [TestCase("label a\n kernel /a\nlabel b\n menu default\n kernel /b\ndefault a\n", "a", TestName = "A later default overwrites menu default")]
    [TestCase("label a\n kernel /a\nlabel b\n kernel /b\nontimeout b\n", "b", TestName = "ontimeout sets the default")]
    [TestCase("default a\nontimeout b\nlabel a\n kernel /a\nlabel b\n kernel /b\n", "b", TestName = "The last of default and ontimeout wins")]
    [TestCase("label a\n menu default\n kernel /a\nlabel b\n menu default\n kernel /b\n", "a", TestName = "The first menu default wins")]
    [TestCase("label a\n kernel /a\n# default b\nlabel b\n kernel /b\n", "a", TestName = "A commented default is no default")]
    [TestCase("default b\nlabel a\n kernel /a\nlabel b\n kernel /b\nlabel b\n kernel /b2\n", "b", TestName = "A name given twice boots its last label")]
    [TestCase("label a\n kernel /a\n ui menu.c32\nlabel b\n kernel /b\n", "a", TestName = "An unknown word ends a label harmlessly")]
    public void U_Boot_picks_the_default_by_its_own_rules(string text, string booted)
    {
        var config = ExtlinuxConfig.Parse(text);
        Assert.That(config.DefaultLabel!.Name, Is.EqualTo(booted));
        if (text.Contains("/b2", StringComparison.Ordinal)) Assert.That(config.DefaultLabel.Kernel, Is.EqualTo("/b2"));
    }

    [TestCase("label a\n kernel /a\n timeout 10\n append root=x\n", "line 4: 'append' outside any label: U-Boot ended label a at line 3 and ignores it")]
    [TestCase("label a\n kernel /a\n initrd /i1\n initrd /i2\n append root=x\n", "line 5: 'append' outside any label: U-Boot ended label a at line 4 and ignores it")]
    [TestCase("label a\r\n kernel /a\r\n\r\n append root=x\r\n", "line 4: 'append' outside any label: U-Boot ended label a at line 3 and ignores it")]
    public void Label_lines_U_Boot_would_silently_ignore_are_refused_with_the_line_that_ended_the_label(string text, string message) =>
        Assert.That(Assert.Throws<ExtlinuxException>(() => ExtlinuxConfig.Parse(text))!.Message, Is.EqualTo(message));

    [TestCase("default a \nlabel a\n kernel /a\n", "differs from label a (line 2) in trailing spaces")]
    [TestCase("prompt 0\nmenu title Boot\nlabel a\n kernel /a\n", "waits for a key forever")]
    [TestCase("label a\n kernel /a\n include other.conf\n", "'include' reads another file")]
    public void Files_U_Boot_reads_otherwise_than_they_look_are_refused(string text, string why) =>
        Assert.That(Assert.Throws<ExtlinuxException>(() => ExtlinuxConfig.Parse(text).Validate())!.Message, Does.Contain(why));

    [Test]
    public void A_later_prompt_0_turns_the_menu_prompt_off() =>
        Assert.DoesNotThrow(ExtlinuxConfig.Parse("menu title Boot\nprompt 0\nlabel a\n kernel /a\n").Validate);

    [Test]
    public void An_append_continued_with_a_backslash_is_refused()
    {
        var config = ExtlinuxConfig.Parse(File.ReadAllText(Repo.TestData("extlinux-refused", "firefly-append-continuation.conf")));
        Assert.That(config.Labels.Single().Append, Does.EndWith("rw \\"), "U-Boot's append stops at the line's end");
        Assert.That(Assert.Throws<ExtlinuxException>(config.Validate)!.Message, Does.Contain("line 4").And.Contain("no continuation lines"));
    }

    [Test]
    public void The_reason_names_the_line_that_decides_the_default()
    {
        Assert.That(ExtlinuxConfig.Parse(Read("armbian-menu-default.conf")).DefaultReason, Is.EqualTo("'menu default' on line 14"));
        Assert.That(ExtlinuxConfig.Parse(Read("rockchip-bsp-trailing-default.conf")).DefaultReason, Is.EqualTo("'default' on line 17"));
        Assert.That(ExtlinuxConfig.Parse(Read("armbian.conf")).DefaultReason, Is.EqualTo("no default: the first label"));
    }
}
