using KernelSoak.Boot;
using KernelSoak.Deploy;

namespace KernelSoak.Remote.Tests;

/// <summary>
/// Uninstall and the default flip against a real sshd and a board-shaped scratch root: a release string
/// never reaches a path it does not own, a label goes only with its own release, and the default U-Boot
/// boots is the one that comes back.
/// </summary>
[TestFixture]
public sealed class UninstallSafetyTests : ScratchBoardFixture
{
    /// <summary>Every file under the scratch root with its bytes' hash.</summary>
    private Dictionary<string, string> Snapshot() =>
        Directory.GetFiles(Board.Root, "*", SearchOption.AllDirectories).ToDictionary(f => f, ScratchBoard.Sha);

    [TestCase("")]
    [TestCase(".")]
    [TestCase("..")]
    [TestCase("../firmware")]
    [TestCase("../../boot")]
    [TestCase("6.1.0 ; rm -rf /")]
    public async Task A_release_that_is_not_a_release_removes_nothing(string release)
    {
        var firmware = Path.Combine(Board.Root, "lib", "firmware", "rtl_nic", "rtl8125b-2.fw");
        Directory.CreateDirectory(Path.GetDirectoryName(firmware)!);
        await File.WriteAllTextAsync(firmware, "firmware blob");
        var (ssh, installer) = await ConnectAsync();
        using var session = ssh;
        await InstallAsync(installer);
        var before = Snapshot();

        var e = Assert.ThrowsAsync<InvalidReleaseException>(() => installer.UninstallAsync(release));
        Assert.That(e!.Message, Does.StartWith("release: kernel release").And.Contain("nothing is touched"));
        Assert.That(Snapshot(), Is.EquivalentTo(before), "every file, every byte, still there");
        Assert.Throws<InvalidReleaseException>(() => Board.Layout.ReleasePaths(release), "no path is ever made of it (the dry run prints these)");
    }

    [Test]
    public async Task The_campaign_label_goes_only_with_the_release_it_boots()
    {
        var (ssh, installer) = await ConnectAsync();
        using var session = ssh;
        await InstallAsync(installer);
        var extlinux = await File.ReadAllTextAsync(Board.ExtlinuxPath);

        // An older build of the same campaign: its files are still there, the label now boots the new one.
        const string older = "7.0.0-rc2-lockdep-kasan-ks";
        var olderModules = Path.Combine(Board.Root, "lib", "modules", older, "kernel");
        Directory.CreateDirectory(olderModules);
        await File.WriteAllTextAsync(Path.Combine(olderModules, "old.ko"), "old");
        await File.WriteAllTextAsync(Path.Combine(Board.BootDir, $"Image-{older}"), "old image");

        var removed = await installer.UninstallAsync(older);
        Assert.Multiple(() =>
        {
            Assert.That(removed, Has.None.StartsWith("label"), string.Join('\n', removed));
            Assert.That(File.ReadAllText(Board.ExtlinuxPath), Is.EqualTo(extlinux), "the label boots the newer release: it stays");
            Assert.That(Directory.Exists(Path.Combine(Board.Root, "lib", "modules", older)), Is.False);
            Assert.That(File.Exists(Path.Combine(Board.BootDir, $"Image-{older}")), Is.False);
            Assert.That(Directory.Exists(Board.ModulesOnBoard), "the installed release's modules stay");
            Assert.That(Said, Has.Some.Contains($"boots /Image-{ScratchBoard.Release}, not {older}"));
        });
    }

    /// <summary>The seed's file with a rescue entry first and the known-good label carrying "menu default" (no top-level default).</summary>
    private static readonly string MenuDefault = ScratchBoard.Extlinux
        .Replace("default arch_devices\n", "", StringComparison.Ordinal)
        .Replace("label arch_devices\n", "label rescue\n    kernel /Image-rescue\n    append root=PARTUUID=7a1b2c3d-02 init=/bin/sh\n\nlabel arch_devices\n    menu default\n", StringComparison.Ordinal);

    [Test]
    public async Task A_flip_and_its_restore_leave_U_Boot_booting_the_menu_default_label_and_the_file_as_it_was()
    {
        await File.WriteAllTextAsync(Board.ExtlinuxPath, MenuDefault);
        Assert.That(ExtlinuxConfig.Parse(MenuDefault).DefaultLabel!.Name, Is.EqualTo("arch_devices"));
        var (ssh, installer) = await ConnectAsync();
        using var session = ssh;
        await InstallAsync(installer);
        var installed = await File.ReadAllTextAsync(Board.ExtlinuxPath);

        var flip = await installer.SetDefaultAsync(Board.Layout.Label);
        Assert.That(flip, Is.EqualTo(("arch_devices", 2)), "what U-Boot booted, and its menu number");
        Assert.That(ExtlinuxConfig.Parse(await File.ReadAllTextAsync(Board.ExtlinuxPath)).DefaultLabel!.Name, Is.EqualTo(Board.Layout.Label));
        Assert.That(await installer.BootedLabelAsync(), Is.EqualTo((Board.Layout.Label, 4, "'default' on line 6")));

        await installer.SetDefaultAsync(flip!.Value.Previous);
        Assert.That(await File.ReadAllTextAsync(Board.ExtlinuxPath), Is.EqualTo(installed), "no 'default rescue' left at the top");
        Assert.That(await installer.SetDefaultAsync("arch_devices"), Is.Null, "already what U-Boot boots");
    }

    [Test]
    public async Task Uninstalling_the_label_a_flip_left_as_default_brings_back_the_known_good_one()
    {
        var (ssh, installer) = await ConnectAsync();
        using var session = ssh;
        await InstallAsync(installer);
        await installer.SetDefaultAsync(Board.Layout.Label); // the run died before restoring

        await installer.UninstallAsync(ScratchBoard.Release);
        Assert.That(await File.ReadAllTextAsync(Board.ExtlinuxPath), Is.EqualTo(ScratchBoard.Extlinux));
    }

    [Test]
    public async Task Adding_the_label_never_makes_it_what_U_Boot_boots()
    {
        // A default left naming the campaign's label (its block deleted by hand): U-Boot boots the first label today.
        var dangling = ScratchBoard.Extlinux.Replace("default arch_devices\n", "default arch_devices_lockdep_kasan\n", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Board.ExtlinuxPath, dangling);
        var (ssh, installer) = await ConnectAsync();
        using var session = ssh;
        var e = Assert.ThrowsAsync<ExtlinuxException>(() => installer.UpdateExtlinuxAsync(ScratchBoard.Release));
        Assert.That(e!.Message, Does.Contain("would make U-Boot boot it instead of arch_devices"));
        Assert.That(await File.ReadAllTextAsync(Board.ExtlinuxPath), Is.EqualTo(dangling), "nothing written");
    }
}
