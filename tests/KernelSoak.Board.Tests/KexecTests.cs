namespace KernelSoak.Board.Tests;

/// <summary>
/// boot_selection = kexec (a board without a serial console, as the seed's Cool Pi): the running
/// known-good kernel loads the test label's kernel and jumps to it, extlinux.conf is never edited, and a
/// test kernel that dies reboots by itself (panic=N) through U-Boot into the untouched default — with no
/// console, no power switch and nobody at the board.
/// </summary>
[TestFixture, NonParallelizable, Order(12)]
public class KexecTests
{
    private const string KexecSelection = "boot_selection = \"kexec\"";

    [Test, Order(1)]
    public async Task The_test_kernel_is_started_by_kexec_and_the_default_is_never_edited()
    {
        using var campaign = new E2eCampaign("e2e", text => E2eCampaign.BinaryOverTwoPatches(text)
            .Replace("boot_selection = \"serial-menu\"", KexecSelection, StringComparison.Ordinal));
        var (exit, output) = campaign.BuildAsAnnounced("--target=Bisect0001");
        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Match(@"pass +boot-selection +kexec: yes — the running kernel starts the test kernel with panic=N"), "preflight says the board can kexec");
        Assert.That(output, Does.Match(@"kexec: kexec -l /boot/firmware/Image-\S+ '--append=[^']*panic=10'"), "the test label's own files and append, with panic=N");
        Assert.That(output, Does.Contain("requested from the running kernel (no boot loader; the default stays known-good)"));
        Assert.That(output, Does.Not.Contain("U-Boot menu: chose"), "no boot loader on the way in");
        Assert.That(output, Does.Not.Contain("extlinux: default"), "the default is never flipped");
        Assert.That(output, Does.Contain("config verified"));
        Assert.That(campaign.Verdict("0001"), Is.EqualTo("clean"));
        using var ssh = await Remote.SshTarget.ConnectAsync(BoardFixture.Board.Endpoint);
        Assert.That(await ssh.CheckAsync("cat /boot/firmware/extlinux/extlinux.conf"), Does.Contain("\ndefault known-good\n"));
        Assert.That(await ssh.CheckAsync("cat /proc/cmdline"), Does.Contain("panic=10"), "the running test kernel got the panic reboot");
    }

    [Test, Order(2)]
    public async Task A_test_kernel_that_panics_after_kexec_brings_the_board_back_on_known_good_by_itself()
    {
        using var campaign = new E2eCampaign("e2e", text => E2eCampaign.BinaryOverTwoPatches(text)
            .Replace("append_extra = [\"page_poison=1\", \"kasan_multi_shot\"]", "append_extra = [\"page_poison=1\", \"kasan_multi_shot\", \"init=/kernelsoak-no-such-init\"]", StringComparison.Ordinal)
            .Replace("boot_selection = \"serial-menu\"", KexecSelection, StringComparison.Ordinal));
        using var before = await Remote.SshTarget.ConnectAsync(BoardFixture.Board.Endpoint);
        var knownGoodBefore = KnownGoodLabel(await before.CheckAsync("cat /boot/firmware/extlinux/extlinux.conf"));
        // Nothing but the board itself: no console to watch, no power switch to cycle it.
        var (exit, output) = campaign.Build("--target=Bisect0001", "--console-kind=none", "--power-switch=none");
        Assert.That(exit, Is.Zero, "no-boot is a verdict, not a failed run: " + output);
        Assert.That(output, Does.Contain("kexec of /boot/firmware/Image-"));
        Assert.That(output, Does.Not.Contain("power-cycling"), "there is no switch: the kernel's own panic reboot brought it back");
        // Without a console the boot step sees only that the test kernel never answered (known-good instead, or
        // nothing until the boot timeout when the panic reboot and known-good's boot take longer than it).
        Assert.That(output, Does.Match(@"NO-BOOT: (the board came up on \S+, not \S+-lockdep-kasan-ks|\S+-lockdep-kasan-ks did not answer within)"));
        Assert.That(output, Does.Match(@"the board is back on \S+ \(label known-good\)"));
        Assert.That(campaign.Verdict("0001"), Is.EqualTo("no-boot"));
        Assert.That(output, Does.Contain("verdict 0001: no-boot — bad at 0001 (kernel panic: Requested init /kernelsoak-no-such-init failed"),
            "the panic's title from the pstore record the dying test kernel left");
        using var after = await Remote.SshTarget.ConnectAsync(BoardFixture.Board.Endpoint);
        Assert.That(await after.CheckAsync("uname -r"), Does.Not.Contain("lockdep-kasan-ks"), "the board runs known-good");
        var extlinux = await after.CheckAsync("cat /boot/firmware/extlinux/extlinux.conf");
        Assert.That(extlinux, Does.Contain("\ndefault known-good\n"), "the default was never edited");
        Assert.That(KnownGoodLabel(extlinux), Is.EqualTo(knownGoodBefore).And.Not.Empty, "nor the known-good label");
    }

    /// <summary>The known-good label's lines (the install step rewrites only the test label's).</summary>
    private static string KnownGoodLabel(string extlinux) =>
        System.Text.RegularExpressions.Regex.Match(extlinux, @"^label known-good\n(?:(?!label ).*\n)*", System.Text.RegularExpressions.RegexOptions.Multiline).Value;
}
