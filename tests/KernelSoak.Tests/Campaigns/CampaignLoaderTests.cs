using KernelSoak.Campaigns;
using KernelSoak.Kernel;

namespace KernelSoak.Tests.Campaigns;

public class CampaignLoaderTests
{
    private static Campaign Seed() => CampaignLoader.Load(Path.Combine(Repo.Root, "campaigns", "iter6-v3.toml"));

    [Test]
    public void Seed_campaign_holds_the_plan()
    {
        var c = Seed();
        Assert.That(c.Id, Is.EqualTo("iter6-v3-kasan"));
        Assert.That(c.Kernel.Arch, Is.EqualTo("arm64"));
        Assert.That(c.Kernel.Localversion, Is.EqualTo("-lockdep-kasan"));
        Assert.That(c.Series.Patches.Select(p => p.Id), Is.EqualTo(new[] { "0004", "0005", "0006", "0007-v2" }));
        Assert.That(c.Install.DefaultLabel, Is.EqualTo("arch_devices"));
        Assert.That(c.Install.FallbackLabels, Is.EqualTo(new[] { "arch_devices_lockdep" }));
        Assert.That(c.Install.Label, Is.EqualTo("arch_devices_lockdep_kasan"));
        Assert.That(c.Install.AppendExtra, Does.Contain("page_poison=1").And.Contain("panic=10"), "a test kernel that panics reboots into the default by itself");
        Assert.That(c.Install.BootSelection, Is.EqualTo(BootSelection.Kexec), "no console, no power switch: started by kexec, the default never edited");
        Assert.That(c.Boot.PanicRebootS, Is.EqualTo(10));
        Assert.That(c.Config.Select(o => o.Name), Does.Contain("KASAN").And.Not.Contain("KCSAN"), "KCSAN depends on !KASAN: the other half's");
        Assert.That(c.Stress.Select(s => s.Name), Is.SupersetOf(new[] { "mpv-v4l2m2m", "mpv-rkmpp", "glmark2-ffmpeg", "headless-drm", "plasma-login" }));
        Assert.That(c.Stress.Single(s => s.Name == "mpv-v4l2m2m").DurationS, Is.EqualTo(1200), "the plan's 20 minutes");
        Assert.That(c.Stress.Single(s => s.Name == "plasma-login").Kind, Is.EqualTo(StressKind.Manual));
        Assert.That(c.ExitRule.Select(r => r.Outcome).Distinct(), Is.EquivalentTo(new[] { ExitOutcome.Success, ExitOutcome.Partial, ExitOutcome.Failure }));
        Assert.That(c.Monitor.Netconsole, Is.True);
    }

    [Test]
    public void The_KCSAN_half_is_the_same_campaign_on_its_own_kernel_and_label()
    {
        var kasan = Seed();
        var c = CampaignLoader.Load(Path.Combine(Repo.Root, "campaigns", "iter6-v3-kcsan.toml"));
        Assert.That(c.Id, Is.EqualTo("iter6-v3-kcsan"));
        Assert.That(c.Config.Where(o => o.Value == "y").Select(o => o.Name), Does.Contain("KCSAN").And.Contain("EXPERT").And.Not.Contain("KASAN"));
        Assert.That((c.Kernel.Localversion, c.Install.Label), Is.Not.EqualTo((kasan.Kernel.Localversion, kasan.Install.Label)), "both stay installed side by side");
        Assert.That(c.Series.Patches.Select(p => p.Id), Is.EqualTo(kasan.Series.Patches.Select(p => p.Id)));
        Assert.That(c.Stress.Select(s => s.Name), Is.EqualTo(kasan.Stress.Select(s => s.Name)));
        Assert.That(c.Install.DefaultLabel, Is.EqualTo(kasan.Install.DefaultLabel));
    }

    [Test]
    public void Seed_delta_has_typed_options()
    {
        var c = CampaignLoader.Load(Path.Combine(Repo.Root, "campaigns", "iter6-v3-kcsan.toml"));
        var once = c.Config.Single(o => o.Name == "KCSAN_REPORT_ONCE_IN_MS");
        Assert.That(ConfigDelta.ArgumentsFor(once), Is.EqualTo(new[] { "--set-val", "KCSAN_REPORT_ONCE_IN_MS", "2000" }),
            "an int goes through --set-val, never --enable X=2000");
        Assert.That(ConfigDelta.ArgumentsFor(Seed().Config.Single(o => o.Name == "KASAN")), Is.EqualTo(new[] { "--enable", "KASAN" }));
        Assert.That(ConfigDelta.ArgumentsFor(c.Config.Single(o => o.Name == "KASAN")), Is.EqualTo(new[] { "--disable", "KASAN" }));
        Assert.That(ConfigDelta.ArgumentsFor(c.Config.Single(o => o.Name == "PAGE_POISONING_NO_SANITY")), Is.EqualTo(new[] { "--disable", "PAGE_POISONING_NO_SANITY" }));
        Assert.That(ConfigDelta.ExpectedLine(once), Is.EqualTo("CONFIG_KCSAN_REPORT_ONCE_IN_MS=2000"));
    }

    [Test]
    public void Demo_campaign_parses() =>
        Assert.That(CampaignLoader.Load(Path.Combine(Repo.Root, "campaigns", "qemu-demo.toml")).Kernel.Tree, Is.EqualTo("debian:linux-source-6.1"));

    internal const string Minimal = """
        [campaign]
        id = "t"
        [kernel]
        tree = "/src/linux"
        arch = "arm64"
        [install]
        label = "test"
        default_label = "good"
        """;

    private static CampaignException Broken(string text) =>
        Assert.Throws<CampaignException>(() => CampaignLoader.Parse(text, "broken.toml"))!;

    [Test]
    public void Minimal_campaign_gets_defaults()
    {
        var c = CampaignLoader.Parse(Minimal, "min.toml");
        Assert.That(c.Kernel.Targets, Is.EqualTo(new[] { "Image", "modules", "dtbs" }));
        Assert.That(c.Install.BootDir, Is.EqualTo("/boot/firmware"));
    }

    [Test]
    public void Syntax_error_points_to_line_and_column()
    {
        var e = Broken(Minimal + "\n[series\nmode = \"binary\"\n");
        Assert.That(e.Message, Does.StartWith("broken.toml:9:"));
    }

    [Test]
    public void Unknown_key_points_to_its_line()
    {
        var e = Broken(Minimal.Replace("arch = \"arm64\"", "arch = \"arm64\"\narhc = \"x\"", StringComparison.Ordinal));
        Assert.That(e.Message, Does.StartWith("broken.toml:6: unknown key 'arhc' in [kernel]"));
    }

    [Test]
    public void Wrong_type_points_to_its_line()
    {
        var e = Broken(Minimal + "\n[boot]\ntimeout_s = \"long\"\n");
        Assert.That(e.Message, Does.StartWith("broken.toml:10: 'boot.timeout_s' must be a whole number"));
    }

    [Test]
    public void Bad_enum_value_lists_the_choices()
    {
        var e = Broken(Minimal + "\n[series]\nmode = \"random\"\n");
        Assert.That(e.Message, Does.StartWith("broken.toml:10:"));
        Assert.That(e.Message, Does.Contain("sequential, binary"));
    }

    [Test]
    public void Missing_required_key_is_named()
    {
        var e = Broken(Minimal.Replace("label = \"test\"\n", "", StringComparison.Ordinal));
        Assert.That(e.Message, Does.Contain("missing required key 'label' in [install]"));
        Assert.That(e.Message, Does.StartWith("broken.toml:6:"));
    }

    [Test]
    public void Error_inside_an_array_of_tables_points_to_the_entry()
    {
        var e = Broken(Minimal + "\n[[stress]]\nname = \"a\"\ncommands = [\"x\"]\n[[stress]]\nname = \"b\"\nduration_s = true\n");
        Assert.That(e.Message, Does.StartWith("broken.toml:14: 'stress[1].duration_s' must be a whole number"));
    }

    [Test]
    public void Same_label_as_default_is_refused()
    {
        var e = Broken(Minimal.Replace("default_label = \"good\"", "default_label = \"test\"", StringComparison.Ordinal));
        Assert.That(e.Message, Does.Contain("must differ from default_label"));
    }

    [Test]
    public void Duplicate_patch_is_refused()
    {
        var e = Broken(Minimal + "\n[[series.patches]]\nid = \"0004\"\n[[series.patches]]\nid = \"0004\"\n");
        Assert.That(e.Message, Does.Contain("patch 0004 appears twice"));
    }

    [Test]
    public void Config_symbol_must_be_kconfig_shaped()
    {
        var e = Broken(Minimal + "\n[[config]]\nname = \"kasan\"\nvalue = \"y\"\n");
        Assert.That(e.Message, Does.Contain("'kasan' is not a Kconfig symbol"));
    }

    [Test]
    public void Resolve_unknown_name_lists_known_campaigns()
    {
        var e = Assert.Throws<CampaignException>(() => CampaignLoader.Resolve("nope", Repo.Root));
        Assert.That(e!.Message, Does.Contain("iter6-v3"));
        Assert.That(e.Message, Does.Contain("qemu-demo"));
    }

    [Test]
    public void Kexec_is_a_boot_selection_with_a_panic_reboot_of_ten_seconds_unless_told()
    {
        var c = CampaignLoader.Parse(Minimal.Replace("default_label = \"good\"", "default_label = \"good\"\nboot_selection = \"kexec\"", StringComparison.Ordinal), "k.toml");
        Assert.That(c.Install.BootSelection, Is.EqualTo(BootSelection.Kexec));
        Assert.That(c.Boot.PanicRebootS, Is.EqualTo(10));
        var e = Broken(Minimal.Replace("default_label = \"good\"", "default_label = \"good\"\nboot_selection = \"grub\"", StringComparison.Ordinal));
        Assert.That(e.Message, Does.Contain("serial-menu, flip-default, manual, kexec"), "the choices an error lists");
    }

    [Test]
    public void Kexec_without_a_panic_reboot_is_refused_at_its_line()
    {
        var kexec = Minimal.Replace("default_label = \"good\"", "default_label = \"good\"\nboot_selection = \"kexec\"", StringComparison.Ordinal);
        var zero = Broken(kexec + "\n[boot]\npanic_reboot_s = 0\n");
        Assert.That(zero.Message, Does.StartWith("broken.toml:11:").And.Contain("panic_reboot_s must be above 0"));
        var never = Broken(kexec.Replace("[install]", "[install]\nappend_extra = [\"panic=0\"]", StringComparison.Ordinal));
        Assert.That(never.Message, Does.Contain("append_extra sets panic=0"));
        Assert.DoesNotThrow(() => CampaignLoader.Parse(kexec.Replace("[install]", "[install]\nappend_extra = [\"panic=0\", \"panic=5\"]", StringComparison.Ordinal), "k.toml"),
            "the last panic= is the one the kernel takes");
        Assert.DoesNotThrow(() => CampaignLoader.Parse(Minimal + "\n[boot]\npanic_reboot_s = 0\n", "m.toml"), "other selections do not use it");
    }

    [Test]
    public void The_lint_advises_KEXEC_in_a_kexec_campaign_whose_test_kernel_cannot_start_the_next_one()
    {
        var kexec = Minimal.Replace("default_label = \"good\"", "default_label = \"good\"\nboot_selection = \"kexec\"", StringComparison.Ordinal);
        Assert.That(BootSelectionAdvice.KexecChain(CampaignLoader.Parse(kexec, "k.toml")), Does.Contain("does not set KEXEC=y").And.Contain("reboots into good"));
        Assert.That(BootSelectionAdvice.KexecChain(CampaignLoader.Parse(kexec + "\n[[config]]\nname = \"KEXEC\"\nvalue = \"n\"\n", "k.toml")), Does.Contain("sets KEXEC=n"));
        Assert.That(BootSelectionAdvice.KexecChain(CampaignLoader.Parse(kexec + "\n[[config]]\nname = \"CONFIG_KEXEC\"\nvalue = \"y\"\n", "k.toml")), Is.Null);
        Assert.That(BootSelectionAdvice.KexecChain(CampaignLoader.Parse(Minimal, "m.toml")), Is.Null, "serial-menu reboots through U-Boot every time");
    }
}
