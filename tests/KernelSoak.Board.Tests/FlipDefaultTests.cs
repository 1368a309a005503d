namespace KernelSoak.Board.Tests;

/// <summary>
/// boot_selection = flip-default (a board without a serial console to pick the label at): the default is
/// the test label for one reboot only: the board's own boot hook puts the default back early in the test
/// kernel's boot, and the run, once the kernel is verified, finds nothing left to restore.
/// </summary>
[TestFixture, NonParallelizable, Order(9)]
public class FlipDefaultTests
{
    private E2eCampaign _campaign = null!;

    [OneTimeSetUp]
    public void WriteCampaign() => _campaign = new E2eCampaign("e2e", text => E2eCampaign.BinaryOverTwoPatches(text)
        .Replace("boot_selection = \"serial-menu\"", "boot_selection = \"flip-default\"", StringComparison.Ordinal));

    [OneTimeTearDown]
    public void Remove() => _campaign.Dispose();

    [Test]
    public async Task The_flipped_default_boots_the_test_kernel_and_is_restored_once_it_is_verified()
    {
        var (exit, output) = _campaign.BuildAsAnnounced("--target=Bisect0001");
        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("extlinux: default known-good → kernelsoak"));
        Assert.That(output, Does.Not.Contain("U-Boot menu: chose"), "nobody picks at the menu: the default boots");
        Assert.That(output, Does.Contain("config verified"));
        Assert.That(output, Does.Contain("the board puts known-good back itself early in its next boot (init.d hook"));
        Assert.That(File.ReadAllText(Path.Combine(_campaign.Dir, "bisect", "0001", "console.log")), Does.Match(@"kernelsoak: extlinux default restored by the board at boot \([0-9.]+-lockdep-kasan-ks\)"),
            "the test kernel's own boot put the default back, before SSH was up");
        Assert.That(output, Does.Contain("default label known-good was already in force (the test kernel is verified)"), "so the run had nothing left to restore");
        Assert.That(_campaign.Verdict("0001"), Is.EqualTo("clean"));
        using var ssh = await Remote.SshTarget.ConnectAsync(BoardFixture.Board.Endpoint);
        Assert.That(await ssh.CheckAsync("cat /boot/firmware/extlinux/extlinux.conf"), Does.Contain("\ndefault known-good\n"));
    }
}
