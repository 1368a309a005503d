using KernelSoak.Boards.Strategy;

namespace KernelSoak.Remote.Tests;

/// <summary>The boot strategy's view of a running system, over a real sshd (the reboot command replaced: this is the host).</summary>
public class SshRunningSystemTests
{
    private ThrowawaySshd _sshd = null!;

    [SetUp]
    public void StartDaemon() => _sshd = ThrowawaySshd.Start();

    [TearDown]
    public void StopDaemon() => _sshd.Dispose();

    [Test]
    public async Task The_reboot_runs_on_the_board_and_a_new_boot_id_is_the_answer_with_its_session_kept()
    {
        var marker = Path.Combine(_sshd.Dir, "rebooted");
        var lost = 0;
        using var running = await SshTarget.ConnectAsync(_sshd.Endpoint());
        var system = new SshRunningSystem(_sshd.Endpoint(), _ => Task.FromResult(running), () => lost++) { RebootCommand = $"touch {marker}" };
        await system.RequestRebootAsync(CancellationToken.None);
        Assert.That(File.Exists(marker), "the reboot command ran on the board");
        Assert.That(lost, Is.EqualTo(1), "the caller is told its session is going");

        var (release, bootId) = await running.IdentityAsync();
        var up = await system.WaitForNewBootAsync("a boot before this one", TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.That(up, Is.EqualTo(new BootedSystem(release, bootId)));
        Assert.That(system.Answered, Is.Not.Null.And.Not.SameAs(running), "a session of its own, made by the wait");
        Assert.That((await system.Answered!.RunAsync("echo still here")).Output.Trim(), Is.EqualTo("still here"));
        system.Answered.Dispose();

        Assert.ThrowsAsync<TimeoutException>(() => system.WaitForNewBootAsync(bootId, TimeSpan.FromSeconds(2), CancellationToken.None),
            "the same boot id is the old kernel still answering, never a new boot");
    }

    /// <summary>A stand-in for kexec-tools on this host: writes each argument it got on a line of its own, then exits with <paramref name="exitCode"/>.</summary>
    private string Recorder(string name, int exitCode, string error = "")
    {
        var script = Path.Combine(_sshd.Dir, name);
        File.WriteAllText(script, $"#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > {_sshd.Dir}/{name}.args\n" +
            (error.Length > 0 ? $"echo '{error}' >&2\n" : "") + $"exit {exitCode}\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        return script;
    }

    [Test]
    public async Task The_kexec_load_reaches_the_board_word_for_word_and_the_jump_follows_it()
    {
        var marker = Path.Combine(_sshd.Dir, "executed");
        var lost = 0;
        using var running = await SshTarget.ConnectAsync(_sshd.Endpoint());
        var system = new SshRunningSystem(_sshd.Endpoint(), _ => Task.FromResult(running), () => lost++)
        {
            KexecProgram = Recorder("kexec", 0),
            KexecExecuteCommand = $"touch {marker}",
        };
        // Every character the board's shell would take for itself: quotes, $, backquotes, a semicolon, spaces.
        const string commandLine = "console=ttyAMA0 dyndbg=\"file x.c +p\" it's=$HOME`id`;reboot panic=5";
        var request = new KexecRequest("/boot/firmware/Image-6.12.0 ks", commandLine, initrd: "/boot/firmware/initrd.img", dtb: "/boot/firmware/board.dtb");
        await system.RequestKexecAsync(request, CancellationToken.None);
        Assert.That(File.ReadAllLines(Path.Combine(_sshd.Dir, "kexec.args")), Is.EqualTo(new[]
        {
            "-l", "/boot/firmware/Image-6.12.0 ks", "--initrd=/boot/firmware/initrd.img", "--dtb=/boot/firmware/board.dtb", "--append=" + commandLine,
        }));
        Assert.That(File.Exists(marker), "the jump ran after the load");
        Assert.That(lost, Is.EqualTo(1), "the caller is told its session is going");
    }

    [Test]
    public async Task A_kexec_load_that_fails_says_why_and_nothing_jumps()
    {
        var marker = Path.Combine(_sshd.Dir, "executed");
        var lost = 0;
        using var running = await SshTarget.ConnectAsync(_sshd.Endpoint());
        var system = new SshRunningSystem(_sshd.Endpoint(), _ => Task.FromResult(running), () => lost++)
        {
            KexecProgram = Recorder("kexec", 1, "kexec_load failed: Function not implemented"),
            KexecExecuteCommand = $"touch {marker}",
        };
        var e = Assert.ThrowsAsync<KexecLoadException>(() => system.RequestKexecAsync(new KexecRequest("/boot/Image", "root=/dev/vdb panic=5"), CancellationToken.None));
        Assert.That(e!.Message, Does.Contain("Function not implemented").And.Contain("CONFIG_KEXEC"));
        Assert.That(File.Exists(marker), Is.False, "no jump without a loaded kernel");
        Assert.That(lost, Is.Zero, "the session stays: the board keeps running");

        var missing = new SshRunningSystem(_sshd.Endpoint(), _ => Task.FromResult(running)) { KexecProgram = Path.Combine(_sshd.Dir, "no-such-kexec") };
        var absent = Assert.ThrowsAsync<KexecLoadException>(() => missing.RequestKexecAsync(new KexecRequest("/boot/Image", "root=/dev/vdb"), CancellationToken.None));
        Assert.That(absent!.Message, Does.Contain("kexec-tools is not installed"));
    }
}
