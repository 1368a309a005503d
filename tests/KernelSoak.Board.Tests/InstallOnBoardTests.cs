using System.Text.Json;
using KernelSoak.Remote;


namespace KernelSoak.Board.Tests;

/// <summary>
/// InstallKernel and UninstallKernel through the build host on the emulated board's real FAT
/// /boot/firmware: a full partition, the way back, and the host killed in the middle of an install.
/// </summary>
[TestFixture, NonParallelizable, Order(4)]
public class InstallOnBoardTests
{
    private const string Extlinux = "/boot/firmware/extlinux/extlinux.conf";
    private static Boards.Qemu.QemuBoard Board => BoardFixture.Board;
    private E2eCampaign _campaign = null!;
    private string _release = "";

    [OneTimeSetUp]
    public async Task BootTheDefaultLabel()
    {
        _campaign = new E2eCampaign("e2e");
        var (exit, _) = _campaign.Build("--target=CompileKernel");
        Assert.That(exit, Is.Zero, "the e2e kernel builds (cached)");
        using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_campaign.Dir, "kernel", "manifest.json"))))
            _release = doc.RootElement.GetProperty("Release").GetString()!;
        // Earlier fixtures leave the board on the test label; a reset boots the default again.
        await Board.Power.ResetAsync();
        using var ssh = await SshWait.UntilUpAsync(Board.Endpoint, TimeSpan.FromSeconds(180));
        Assert.That((await ssh.CheckAsync("uname -r")).Trim(), Is.Not.EqualTo(_release));
    }

    [OneTimeTearDown]
    public void Remove() => _campaign.Dispose();

    [Test, Order(1)]
    public async Task A_boot_partition_without_room_stops_the_install_at_preflight_with_nothing_written()
    {
        // The board's real FAT partition, made "full" for this campaign by a floor above its free space
        // (filling 100 MB of FAT under TCG takes minutes; the sshd tests fill a small tmpfs for real).
        using var ssh = await SshWait.UntilUpAsync(Board.Endpoint, TimeSpan.FromSeconds(60));
        var before = await ssh.CheckAsync($"sha256sum {Extlinux}; ls /boot/firmware");
        var freeMb = long.Parse((await ssh.CheckAsync("df -m /boot/firmware | tail -1 | awk '{print $4}'")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        using var tight = new E2eCampaign("e2e", text => text.Replace("min_free_mb = 30", $"min_free_mb = {freeMb + 64}", StringComparison.Ordinal));
        var (exit, output) = tight.Build("--target=InstallKernel");
        Assert.That(exit, Is.Not.Zero);
        Assert.That(output, Does.Contain("preflight failed (boot-space").And.Contain("nothing was changed on the board"));
        Assert.That(output, Does.Contain($"MiB free, need {freeMb + 64} MiB"));
        Assert.That(output, Does.Not.Contain("step install/"), "no install step started");
        Assert.That(await ssh.CheckAsync($"sha256sum {Extlinux}; ls /boot/firmware"), Is.EqualTo(before), "extlinux.conf untouched, no file added or removed");
    }

    [Test, Order(2)]
    public async Task Uninstall_removes_the_release_and_its_label_and_the_default_stays()
    {
        var (exit, output) = _campaign.Build("--target=UninstallKernel");
        Assert.That(exit, Is.Zero, output);
        using var ssh = await SshWait.UntilUpAsync(Board.Endpoint, TimeSpan.FromSeconds(60));
        var state = await ssh.RunAsync($"cat {Extlinux}; ls /boot/firmware /lib/modules");
        Assert.That(state.Output, Does.Not.Contain("label kernelsoak").And.Not.Contain(_release));
        Assert.That(state.Output, Does.Contain("default known-good").And.Contain("label known-good"));
    }

    [Test, Order(3)]
    public async Task Killing_the_host_mid_install_then_re_running_completes_and_the_board_boots_its_default()
    {
        var (killed, _) = _campaign.BuildUntil("step install/image", "--target=InstallKernel");
        Assert.That(killed, Is.Not.Zero, "killed");
        var (exit, output) = _campaign.Build("--target=InstallKernel");
        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("resuming install/image"));
        Assert.That(output, Does.Contain($"hashing on the board with {KernelSoak.Deploy.FastSha256.RemotePath}"), "the arm64 board has sha2: the fast hasher verifies the Image");
        Assert.That(output, Does.Contain("skip install/modules"), "the modules synced before the kill are not sent again");

        var (again, second) = _campaign.Build("--target=InstallKernel");
        Assert.That(again, Is.Zero);
        Assert.That(second, Does.Contain("skip install/image").And.Contain("skip install/extlinux"), "a re-run does nothing");

        using (var ssh = await SshWait.UntilUpAsync(Board.Endpoint, TimeSpan.FromSeconds(60)))
        {
            var conf = await ssh.CheckAsync($"cat {Extlinux}; sha256sum /boot/firmware/Image-{_release}");
            Assert.That(conf, Does.Contain("label kernelsoak").And.Contain("default known-good"));
            Assert.That(conf, Does.Not.Contain(".ks-tmp"));
        }
        await Board.Power.ResetAsync();
        using var back = await SshWait.UntilUpAsync(Board.Endpoint, TimeSpan.FromSeconds(180));
        Assert.That((await back.CheckAsync("uname -r")).Trim(), Is.Not.EqualTo(_release), "booted the default label");
    }
}
