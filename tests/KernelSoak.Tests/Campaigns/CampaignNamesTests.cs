using KernelSoak.Campaigns;

namespace KernelSoak.Tests.Campaigns;

/// <summary>Campaign values that become paths or parts of commands are refused at load, naming the setting.</summary>
public class CampaignNamesTests
{
    private const string Minimal = CampaignLoaderTests.Minimal;

    private static string Refused(string text) =>
        Assert.Throws<CampaignException>(() => CampaignLoader.Parse(text, "c.toml"))!.Message;

    [TestCase("id = \"t\"", "id = \".\"", "c.toml:2: campaign.id '.' is a directory reference (it names the artifacts folder)")]
    [TestCase("id = \"t\"", "id = \"..\"", "c.toml:2: campaign.id '..' is a directory reference (it names the artifacts folder)")]
    [TestCase("id = \"t\"", "id = \"-rf\"", "c.toml:2: campaign.id '-rf' starts with '-' (a command would read it as an option) (it names the artifacts folder)")]
    [TestCase("label = \"test\"", "label = \"test\\ndefault test\"", "c.toml:7: install.label 'test\\x0adefault test' may hold only letters, digits and . _ + - (starting with a letter or digit): it is written into extlinux.conf and used in commands")]
    [TestCase("label = \"test\"", "label = \"t;reboot\"", "c.toml:7: install.label 't;reboot' may hold only letters")]
    [TestCase("default_label = \"good\"", "default_label = \"good\\ndefault test\"", "c.toml:8: install.default_label 'good\\x0adefault test' holds a control character")]
    [TestCase("default_label = \"good\"", "default_label = \"good$(reboot)\"", "c.toml:8: install.default_label 'good$(reboot)' holds one of $`;|&<>\\\"'")]
    public void Ids_and_labels_that_escape_or_inject_are_refused(string from, string to, string message) =>
        Assert.That(Refused(Minimal.Replace(from, to, StringComparison.Ordinal)), Does.StartWith(message));

    [TestCase("image = \"Image-{release}$(reboot)\"", "install.image 'Image-{release}$(reboot)' may hold only letters")]
    [TestCase("image = \"../Image-{release}\"", "install.image '../Image-{release}' may hold only letters")]
    [TestCase("image = \"Image-{version}\"", "install.image 'Image-{version}' knows only the placeholders {release} and {dtb}")]
    [TestCase("initramfs_name = \"initrd-{release}.img; reboot\"", "install.initramfs_name 'initrd-{release}.img; reboot' may hold only letters")]
    [TestCase("dtb_name = \"{dtb}-{release}`id`\"", "install.dtb_name '{dtb}-{release}`id`' may hold only letters")]
    [TestCase("dtb = \"../../../etc/shadow\"", "install.dtb '../../../etc/shadow' must be a path under arch/*/boot/dts")]
    [TestCase("boot_dir = \"/boot/../etc\"", "install.boot_dir '/boot/../etc' may hold only plain segments")]
    [TestCase("boot_dir = \"boot\"", "install.boot_dir 'boot' must be an absolute path")]
    [TestCase("extlinux = \"/boot/extlinux/extlinux.conf $(reboot)\"", "install.extlinux '/boot/extlinux/extlinux.conf $(reboot)' may hold only plain segments")]
    [TestCase("fallback_labels = [\"ok\", \"bad\\nlabel\"]", "install.fallback_labels 'bad\\x0alabel' holds a control character")]
    [TestCase("append_extra = [\"kasan_multi_shot\\ndefault test\"]", "install.append_extra 'kasan_multi_shot\\x0adefault test' must be one non-empty word")]
    public void Install_names_that_become_board_paths_or_commands_are_refused(string line, string message) =>
        Assert.That(Refused(Minimal + "\n" + line + "\n"), Does.Contain(message));

    [TestCase("[kernel]", "[kernel]\nlocalversion = \"-x/../../firmware\"", "kernel.localversion '-x/../../firmware' may hold only letters")]
    [TestCase("[kernel]", "[kernel]\nrelease_suffix = \"-ks $(reboot)\"", "kernel.release_suffix '-ks $(reboot)' may hold only letters")]
    public void Release_parts_are_refused_before_they_make_a_release(string from, string to, string message) =>
        Assert.That(Refused(Minimal.Replace(from, to, StringComparison.Ordinal)), Does.Contain(message));

    [Test]
    public void Patch_ids_and_stress_names_that_are_directory_references_are_refused()
    {
        Assert.That(Refused(Minimal + "\n[[series.patches]]\nid = \"..\"\n"), Does.Contain("series.patches.id '..' is a directory reference (it names the Bisect target and its artifacts)"));
        Assert.That(Refused(Minimal + "\n[[stress]]\nname = \"..\"\nkind = \"manual\"\ninstruction = \"x\"\n"), Does.Contain("stress.name '..' is a directory reference"));
    }

    [Test]
    public void Real_labels_with_spaces_and_parentheses_are_accepted_as_existing_labels()
    {
        var c = CampaignLoader.Parse(Minimal.Replace("default_label = \"good\"", "default_label = \"Fedora Linux (6.11.4-301.fc41.aarch64) 41 (Server Edition)\"", StringComparison.Ordinal), "c.toml");
        Assert.That(c.Install.DefaultLabel, Does.StartWith("Fedora Linux ("));
    }

    [Test]
    public void Every_shipped_campaign_loads() =>
        Assert.Multiple(() =>
        {
            foreach (var file in Directory.GetFiles(Path.Combine(Repo.Root, "campaigns"), "*.toml"))
                Assert.DoesNotThrow(() => CampaignLoader.Load(file), file);
        });

    [TestCase("..")]
    [TestCase("../../etc/passwd")]
    [TestCase("-x")]
    public void A_campaign_name_that_is_not_a_file_must_be_a_plain_name(string name) =>
        Assert.That(Assert.Throws<CampaignException>(() => CampaignLoader.Resolve(name, Repo.Root))!.Message, Does.StartWith($"[Campaign] Name '{name}': no such file"));
}
