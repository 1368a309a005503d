namespace KernelSoak.Board.Tests;

/// <summary>
/// A test kernel that panics at boot (the same build, its label told to run an init that does not exist),
/// booted by flipping extlinux's default to the test label. The panic on the console ends the boot wait at
/// once, the board is power-cycled and taken back to the known-good label at U-Boot's menu, the default is
/// restored, and the probe's verdict is no-boot, with the panic's title and its console log kept.
/// The console comes through a real ser2net and the power cycle through a real pdudaemon, as in a lab. Every command
/// the recovery ran was printed by the dry run before it.
/// </summary>
[TestFixture, NonParallelizable, Order(8)]
public class NoBootTests
{
    private E2eCampaign _campaign = null!;

    [OneTimeSetUp]
    public void WriteCampaign() => _campaign = new E2eCampaign("e2e", text => E2eCampaign.BinaryOverTwoPatches(text)
        .Replace("append_extra = [\"page_poison=1\", \"kasan_multi_shot\"]", "append_extra = [\"page_poison=1\", \"kasan_multi_shot\", \"init=/kernelsoak-no-such-init\"]", StringComparison.Ordinal)
        .Replace("boot_selection = \"serial-menu\"", "boot_selection = \"flip-default\"", StringComparison.Ordinal));

    [OneTimeTearDown]
    public void Remove() => _campaign.Dispose();

    [Test]
    public async Task A_kernel_that_panics_at_boot_is_no_boot_and_the_board_is_back_on_its_default_label()
    {
        // As a lab reaches a board: the console through ser2net (telnet, RFC 2217) in front of its serial tty, the power through pdudaemon.
        using var lab = new LabLinks();
        var consolePort = lab.StartSer2Net();
        var pduPort = lab.StartPduDaemon();
        var (exit, output) = _campaign.BuildAsAnnounced("--target=Bisect0001", "--console-kind=tcp", "--console-host=127.0.0.1", $"--console-port={consolePort}",
            "--console-protocol=telnet", "--console-baud=115200", "--power-switch=pdudaemon", $"--power-pdu-daemon-port={pduPort}", "--power-pdu=lab-pdu",
            "--power-pdu-outlet=1", "--power-off-seconds=1");
        Assert.That(exit, Is.Zero, "no-boot is a verdict, not a failed run");
        Assert.That(output, Does.Contain($"pass  console     127.0.0.1:{consolePort} (telnet)"), "preflight opens the console through ser2net");
        Assert.That(lab.OutletLog, Is.EqualTo(new[] { "1 off", "1 on" }), "one power cycle, through pdudaemon's driver");
        Assert.That(output, Does.Contain("extlinux: default known-good → kernelsoak"), "the temporary flip");
        Assert.That(output, Does.Contain("died during boot: kernel panic: Requested init /kernelsoak-no-such-init failed"),
            "the panic on the console ends the boot wait, classified with its title");
        var recovering = System.Text.RegularExpressions.Regex.Match(output, @"boot: Recovering at (\d+\.\d) s");
        Assert.That(recovering.Success && double.Parse(recovering.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) < 110, Is.True,
            $"the panic is noticed when the console shows it, not when the 120 s boot timeout runs out ({recovering.Value})");
        Assert.That(output, Does.Not.Contain("did not answer within"), "no timeout was waited out");
        Assert.That(output, Does.Contain("recovery: power cycle 1/1"));
        Assert.That(output, Does.Contain("[Power] Switch = pdudaemon"));
        Assert.That(output, Does.Contain("U-Boot menu: chose 1 (known-good"), "after the power cycle the known-good label is taken, not the flipped default");
        Assert.That(output, Does.Contain("default label known-good was already in force (the test kernel did not boot)"),
            "the known-good kernel's boot hook put the default back before the run could");
        Assert.That(output, Does.Contain("NO-BOOT: ").And.Contain("died during boot"), "the verdict says why: the panic, not a timeout");
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
