using KernelSoak.Boot;
using KernelSoak.Deploy;

namespace KernelSoak.Remote.Tests;

/// <summary>
/// Uninstall and the default flip against a real sshd and a board-shaped scratch root: a release string
/// never reaches a path it does not own, a label goes only with its own release, and the default U-Boot
/// boots is the one that comes back.
/// </summary>
[TestFixture]
public sealed class UninstallSafetyTests
{
    private ThrowawaySshd _sshd = null!;
    private ScratchBoard _board = null!;
    private readonly List<string> _said = [];

    [OneTimeSetUp]
    public void StartDaemon() => _sshd = ThrowawaySshd.Start();

    [OneTimeTearDown]
    public void StopDaemon() => _sshd.Dispose();

    [SetUp]
    public void NewBoard()
    {
        _board = new ScratchBoard(Directory.CreateTempSubdirectory("ks-board-").FullName);
        _said.Clear();
    }

    [TearDown]
    public void RemoveBoard() => Directory.Delete(Path.GetDirectoryName(_board.Root)!, recursive: true);

    private async Task InstallAsync(KernelInstaller installer)
    {
        var manifest = _board.Manifest();
        await installer.SyncModulesAsync(manifest);
        await installer.CopyImageAsync(manifest);
        await installer.CopyDtbAsync(manifest);
        await installer.MakeInitramfsAsync(manifest.Release);
        await installer.UpdateExtlinuxAsync(manifest.Release);
    }

    /// <summary>Every file under the scratch root with its bytes' hash.</summary>
    private Dictionary<string, string> Snapshot() =>
        Directory.GetFiles(_board.Root, "*", SearchOption.AllDirectories).ToDictionary(f => f, ScratchBoard.Sha);

    [TestCase("")]
    [TestCase(".")]
    [TestCase("..")]
    [TestCase("../firmware")]
    [TestCase("../../boot")]
    [TestCase("6.1.0 ; rm -rf /")]
    public async Task A_release_that_is_not_a_release_removes_nothing(string release)
    {
        var firmware = Path.Combine(_board.Root, "lib", "firmware", "rtl_nic", "rtl8125b-2.fw");
        Directory.CreateDirectory(Path.GetDirectoryName(firmware)!);
        await File.WriteAllTextAsync(firmware, "firmware blob");
        using var ssh = await SshTarget.ConnectAsync(_sshd.Endpoint());
        var installer = new KernelInstaller(ssh, _board.Layout, _said.Add);
        await InstallAsync(installer);
        var before = Snapshot();

        var e = Assert.ThrowsAsync<InvalidReleaseException>(() => installer.UninstallAsync(release));
        Assert.That(e!.Message, Does.StartWith("release: kernel release").And.Contain("nothing is touched"));
        Assert.That(Snapshot(), Is.EquivalentTo(before), "every file, every byte, still there");
        Assert.Throws<InvalidReleaseException>(() => _board.Layout.ReleasePaths(release), "no path is ever made of it (the dry run prints these)");
    }

    [Test]
    public async Task The_campaign_label_goes_only_with_the_release_it_boots()
    {
        using var ssh = await SshTarget.ConnectAsync(_sshd.Endpoint());
        var installer = new KernelInstaller(ssh, _board.Layout, _said.Add);
        await InstallAsync(installer);
        var extlinux = await File.ReadAllTextAsync(_board.ExtlinuxPath);

        // An older build of the same campaign: its files are still there, the label now boots the new one.
        const string older = "7.0.0-rc2-lockdep-kasan-ks";
        var olderModules = Path.Combine(_board.Root, "lib", "modules", older, "kernel");
        Directory.CreateDirectory(olderModules);
        await File.WriteAllTextAsync(Path.Combine(olderModules, "old.ko"), "old");
        await File.WriteAllTextAsync(Path.Combine(_board.BootDir, $"Image-{older}"), "old image");

        var removed = await installer.UninstallAsync(older);
        Assert.Multiple(() =>
        {
            Assert.That(removed, Has.None.StartsWith("label"), string.Join('\n', removed));
            Assert.That(File.ReadAllText(_board.ExtlinuxPath), Is.EqualTo(extlinux), "the label boots the newer release: it stays");
            Assert.That(Directory.Exists(Path.Combine(_board.Root, "lib", "modules", older)), Is.False);
            Assert.That(File.Exists(Path.Combine(_board.BootDir, $"Image-{older}")), Is.False);
            Assert.That(Directory.Exists(_board.ModulesOnBoard), "the installed release's modules stay");
            Assert.That(_said, Has.Some.Contains($"boots /Image-{ScratchBoard.Release}, not {older}"));
        });
    }

    /// <summary>The seed's file with a rescue entry first and the known-good label carrying "menu default" (no top-level default).</summary>
    private static readonly string MenuDefault = ScratchBoard.Extlinux
        .Replace("default arch_devices\n", "", StringComparison.Ordinal)
        .Replace("label arch_devices\n", "label rescue\n    kernel /Image-rescue\n    append root=PARTUUID=7a1b2c3d-02 init=/bin/sh\n\nlabel arch_devices\n    menu default\n", StringComparison.Ordinal);

    [Test]
    public async Task A_flip_and_its_restore_leave_U_Boot_booting_the_menu_default_label_and_the_file_as_it_was()
    {
        await File.WriteAllTextAsync(_board.ExtlinuxPath, MenuDefault);
        Assert.That(ExtlinuxConfig.Parse(MenuDefault).DefaultLabel!.Name, Is.EqualTo("arch_devices"));
        using var ssh = await SshTarget.ConnectAsync(_sshd.Endpoint());
        var installer = new KernelInstaller(ssh, _board.Layout, _said.Add);
        await InstallAsync(installer);
        var installed = await File.ReadAllTextAsync(_board.ExtlinuxPath);

        var flip = await installer.SetDefaultAsync(_board.Layout.Label);
        Assert.That(flip, Is.EqualTo(("arch_devices", 2)), "what U-Boot booted, and its menu number");
        Assert.That(ExtlinuxConfig.Parse(await File.ReadAllTextAsync(_board.ExtlinuxPath)).DefaultLabel!.Name, Is.EqualTo(_board.Layout.Label));
        Assert.That(await installer.BootedLabelAsync(), Is.EqualTo((_board.Layout.Label, 4, "'default' on line 6")));

        await installer.SetDefaultAsync(flip!.Value.Previous);
        Assert.That(await File.ReadAllTextAsync(_board.ExtlinuxPath), Is.EqualTo(installed), "no 'default rescue' left at the top");
        Assert.That(await installer.SetDefaultAsync("arch_devices"), Is.Null, "already what U-Boot boots");
    }

    [Test]
    public async Task Uninstalling_the_label_a_flip_left_as_default_brings_back_the_known_good_one()
    {
        using var ssh = await SshTarget.ConnectAsync(_sshd.Endpoint());
        var installer = new KernelInstaller(ssh, _board.Layout, _said.Add);
        await InstallAsync(installer);
        await installer.SetDefaultAsync(_board.Layout.Label); // the run died before restoring

        await installer.UninstallAsync(ScratchBoard.Release);
        Assert.That(await File.ReadAllTextAsync(_board.ExtlinuxPath), Is.EqualTo(ScratchBoard.Extlinux));
    }
}
