using System.Text.RegularExpressions;
using KernelSoak.Boards;
using KernelSoak.Remote;

namespace KernelSoak.Board.Tests;

/// <summary>What issue "the emulated board" promises, proven on the running board. Ordered: later tests reboot it.</summary>
[TestFixture, NonParallelizable, Order(1)]
public class EmulatedBoardTests
{
    private static Boards.Qemu.QemuBoard Board => BoardFixture.Board;

    private static Task<SshTarget> Ssh() => SshTarget.ConnectAsync(Board.Endpoint);

    private static Task<SshTarget> SshAfterRestart() => SshWait.UntilUpAsync(Board.Endpoint, TimeSpan.FromSeconds(120));

    [Test, Order(1)]
    public async Task Ssh_works_with_the_pinned_host_key_and_refuses_another()
    {
        using (var ssh = await Ssh())
            Assert.That((await ssh.CheckAsync("echo hello")).Trim(), Is.EqualTo("hello"));

        var wrongPin = Board.Endpoint with { PinnedHostKey = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" };
        var e = Assert.ThrowsAsync<HostKeyMismatchException>(() => SshTarget.ConnectAsync(wrongPin));
        Assert.That(e!.Message, Does.Contain("SHA256:AAAA").And.Contain(e.Actual));

        var unknown = Board.Endpoint with { KnownHostsFile = Path.Combine(Path.GetTempPath(), $"ks-empty-{Guid.NewGuid():N}") };
        Assert.ThrowsAsync<UnknownHostKeyException>(() => SshTarget.ConnectAsync(unknown));
    }

    [Test, Order(2)]
    public async Task Boot_firmware_is_the_FAT_partition_holding_extlinux_conf()
    {
        using var ssh = await Ssh();
        var mounts = await ssh.CheckAsync("grep ' /boot/firmware ' /proc/mounts");
        Assert.That(mounts, Does.StartWith("/dev/vda1 /boot/firmware vfat "));
        Assert.That(await ssh.CheckAsync("cat /boot/firmware/extlinux/extlinux.conf"), Does.Contain("default known-good"));
        foreach (var tool in new[] { "tar", "sha256sum", "df", "mountpoint", "rsync", "depmod", "modprobe" })
            Assert.That((await ssh.RunAsync($"command -v {tool}")).Succeeded, Is.True, $"{tool} on the board");
        Assert.That((await ssh.RunAsync("mountpoint -q /boot/firmware")).ExitCode, Is.Zero);
        Assert.That((await ssh.RunAsync("mountpoint -q /root")).ExitCode, Is.EqualTo(32), "not a mount point");
        Assert.That((await ssh.RunAsync("head -c1 /dev/kmsg >/dev/null")).Succeeded, Is.True, "/dev/kmsg readable");
        Assert.That(await ssh.CheckAsync("grep -E ' (pstore|debugfs|configfs) ' /proc/mounts | wc -l"), Does.StartWith("3"));
    }

    [Test, Order(3)]
    public async Task Uname_is_the_release_of_the_kernel_built()
    {
        using var ssh = await Ssh();
        Assert.That((await ssh.CheckAsync("uname -r")).Trim(), Is.EqualTo(Board.Files.KernelRelease));
        Assert.That(Board.Files.KernelRelease, Does.EndWith("-lockdep-kasan"));
    }

    [Test, Order(4)]
    public async Task Lkdtm_read_after_free_is_a_real_KASAN_report()
    {
        using var ssh = await Ssh();
        await ssh.RunAsync("modprobe lkdtm && echo READ_AFTER_FREE > /sys/kernel/debug/provoke-crash/DIRECT", TimeSpan.FromSeconds(60));
        var dmesg = await ssh.CheckAsync("dmesg");
        Assert.That(dmesg, Does.Contain("BUG: KASAN: use-after-free in lkdtm_READ_AFTER_FREE"));
    }

    [Test, Order(5)]
    public async Task Panic_then_hard_reset_leaves_the_panic_in_pstore()
    {
        using (var ssh = await Ssh())
        {
            await ssh.CheckAsync("rm -f /sys/fs/pstore/*; modprobe lkdtm");
            var offset = Board.Console.Length;
            // The connection dies with the kernel: the command never returns.
            _ = ssh.RunAsync("echo PANIC > /sys/kernel/debug/provoke-crash/DIRECT", TimeSpan.FromSeconds(5)).ContinueWith(t => t.Exception);
            await Board.Console.WaitForAsync(new Regex("end Kernel panic"), offset, TimeSpan.FromSeconds(60));
        }
        await Board.Power.ResetAsync();
        using var after = await SshAfterRestart();
        var pstore = await after.CheckAsync("cat /sys/fs/pstore/dmesg-ramoops-*");
        Assert.That(pstore, Does.Contain("Kernel panic - not syncing: dumptest"));
    }

    [Test, Order(6)]
    public async Task A_second_label_made_default_boots_that_label()
    {
        const string conf = "/boot/firmware/extlinux/extlinux.conf";
        string bootId;
        using (var ssh = await Ssh())
        {
            bootId = (await ssh.CheckAsync("cat /proc/sys/kernel/random/boot_id")).Trim();
            await ssh.CheckAsync($"""
                cp {conf} /root/extlinux.conf.good
                A=$(sed -n 's/^ *append //p' {conf} | head -1)
                printf 'label second\n    kernel /Image-{Board.Files.KernelRelease}\n    append %s ks.label=second\n' "$A" >> {conf}
                sed -i 's/^default .*/default second/' {conf}; sync
                """);
            // As BootPlan does: detached and a second later, so hanging up this session cannot kill the reboot.
            await ssh.RunAsync("(sleep 1; reboot) >/dev/null 2>&1 &", TimeSpan.FromSeconds(10));
        }
        // The old kernel's sshd answers for a while after "reboot" (longer on a loaded host): wait for a new boot.
        var boot = await SshWait.UntilNewBootAsync(Board.Endpoint, bootId, TimeSpan.FromSeconds(120));
        using (var ssh = boot.Session)
        {
            Assert.That(await ssh.CheckAsync("cat /proc/cmdline"), Does.Contain("ks.label=second"));
            await ssh.CheckAsync($"cp /root/extlinux.conf.good {conf}; sync");
        }
    }

    [Test, Order(7)]
    public async Task Freeze_makes_ssh_stop_answering_and_a_reset_brings_the_board_back()
    {
        using (var ssh = await Ssh()) await ssh.CheckAsync("true");
        await Board.Power.FreezeAsync();
        var frozen = Board.Endpoint with { ConnectTimeout = TimeSpan.FromSeconds(4) };
        Assert.ThrowsAsync<BoardUnreachableException>(() => SshTarget.ConnectAsync(frozen), "a frozen board does not answer");
        await Board.Power.ThawAsync();
        await Board.Power.ResetAsync();
        using var back = await SshAfterRestart();
        Assert.That((await back.CheckAsync("uname -r")).Trim(), Is.EqualTo(Board.Files.KernelRelease));
    }
}
