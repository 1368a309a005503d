namespace KernelSoak.Board.Tests;

/// <summary>
/// A test kernel that panics at boot (the same build, its label told to run an init that does not exist),
/// booted the way a board without a serial console is: extlinux's default flipped to the test label. The
/// boot times out, the board is power-cycled and taken back to the known-good label, the default is
/// restored, and the probe's verdict is no-boot, with the boot panic kept from pstore as the explanation.
/// The power cycle goes through the command switch a USB relay would use (off, a pause, on), here as
/// shell lines that talk to the emulator's monitor socket.
/// </summary>
[TestFixture, NonParallelizable, Order(8)]
public class NoBootTests
{
    private E2eCampaign _campaign = null!;

    [OneTimeSetUp]
    public void WriteCampaign() => _campaign = new E2eCampaign("e2e", text => E2eCampaign.BinaryOverTwoPatches(text)
        .Replace("append_extra = [\"page_poison=1\", \"kasan_multi_shot\"]", "append_extra = [\"page_poison=1\", \"kasan_multi_shot\", \"init=/kernelsoak-no-such-init\"]", StringComparison.Ordinal)
        .Replace("timeout_s = 120", "timeout_s = 60", StringComparison.Ordinal)
        .Replace("boot_selection = \"serial-menu\"", "boot_selection = \"flip-default\"", StringComparison.Ordinal));

    [OneTimeTearDown]
    public void Remove() => _campaign.Dispose();

    [Test]
    public async Task A_kernel_that_panics_at_boot_is_no_boot_and_the_board_is_back_on_its_default_label()
    {
        var monitor = BoardFixture.Board.Files.MonitorSocket;
        var (exit, output) = _campaign.Build("--target=Bisect0001", "--power-switch=command", "--power-off-seconds=2",
            $"--power-off-command=printf 'stop\\n' | nc -U -q1 {monitor}", $"--power-on-command=printf 'system_reset\\ncont\\n' | nc -U -q1 {monitor}");
        Assert.That(exit, Is.Zero, "no-boot is a verdict, not a failed run");
        Assert.That(output, Does.Contain("extlinux: default known-good → kernelsoak"), "the temporary flip");
        Assert.That(output, Does.Contain("power-cycling (1/1)"));
        Assert.That(output, Does.Contain("[Power] Switch = command").And.Contain("stop\\n").And.Contain("system_reset\\ncont"), "the relay's commands, logged as run");
        Assert.That(output, Does.Contain("U-Boot menu: chose 1 (known-good"), "after the power cycle the known-good label is taken, not the flipped default");
        Assert.That(output, Does.Contain("default label known-good restored (the test kernel did not boot)"));
        Assert.That(output, Does.Contain("NO-BOOT: the board came up on").And.Contain("the test kernel did not boot"),
            "after the power cycle the board runs another release than the one installed: that, not a timeout, is the no-boot");
        Assert.That(output, Does.Contain("the board is back on").And.Contain("label known-good"));
        Assert.That(output, Does.Contain("no stress window: the test kernel did not boot"));
        Assert.That(_campaign.Verdict("0001"), Is.EqualTo("no-boot"));
        Assert.That(File.ReadAllText(Path.Combine(_campaign.Dir, "bisect", "0001", "console.log")), Does.Contain("Requested init /kernelsoak-no-such-init failed"),
            "the serial log of the failed boot is kept");
        using var ssh = await Remote.SshTarget.ConnectAsync(BoardFixture.Board.Endpoint);
        var state = await ssh.CheckAsync("cat /boot/firmware/extlinux/extlinux.conf");
        Assert.That(state, Does.Contain("\ndefault known-good\n"), "the default label is back");
    }
}
