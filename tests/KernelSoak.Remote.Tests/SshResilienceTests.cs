using System.Diagnostics;
using KernelSoak.Remote;

namespace KernelSoak.Remote.Tests;

/// <summary>A real sshd that freezes, restarts, changes its key, or is reached through sudo.</summary>
[TestFixture]
public sealed class SshResilienceTests
{
    private const string SudoUser = "kernelsoak-test"; // made by scripts/test-users.sh (.ci/run), with NOPASSWD sudo
    private const string NoSudoUser = "kernelsoak-nosudo";

    [Test]
    public async Task A_frozen_peer_is_noticed_by_the_watchdog_within_its_timeout()
    {
        using var sshd = ThrowawaySshd.Start();
        var endpoint = sshd.Endpoint() with { KeepAlive = TimeSpan.FromMilliseconds(500), DeadPeerAfter = TimeSpan.FromSeconds(2) };
        using var ssh = await SshTarget.ConnectAsync(endpoint);
        var running = ssh.RunAsync("sleep 60", TimeSpan.FromMinutes(5));
        await Task.Delay(300);
        sshd.FreezeSessions();
        var watch = Stopwatch.StartNew();
        try
        {
            var e = Assert.ThrowsAsync<PeerFrozenException>(() => running);
            Assert.That(e!.Message, Does.Contain("stopped answering").And.Contain("sleep 60"));
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(6)), "keep-alive 0.5 s + dead after 2 s");
        }
        finally
        {
            sshd.ThawSessions();
        }
    }

    [Test]
    public async Task Cancelling_a_stream_from_a_frozen_peer_returns_instead_of_waiting_forever()
    {
        using var sshd = ThrowawaySshd.Start();
        using var ssh = await SshTarget.ConnectAsync(sshd.Endpoint());
        var lines = new List<string>();
        using var cts = new CancellationTokenSource();
        var streaming = ssh.StreamAsync("echo first; sleep 60", line => { lock (lines) lines.Add(line); }, cts.Token);
        // Freeze once the command runs (a fixed 500 ms was too short for a login on a loaded machine: no line yet).
        var started = Stopwatch.StartNew();
        while (started.Elapsed < TimeSpan.FromSeconds(15) && lines.Count == 0) await Task.Delay(50);
        sshd.FreezeSessions();
        try
        {
            var watch = Stopwatch.StartNew();
            await cts.CancelAsync();
            await streaming.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(16)));
            Assert.That(lines, Is.EqualTo(new[] { "first" }));
        }
        finally
        {
            sshd.ThawSessions();
        }
    }

    [Test]
    public async Task A_restarted_daemon_is_reached_again_with_backoff_and_a_new_host_key_is_a_hard_stop()
    {
        using var sshd = ThrowawaySshd.Start();
        using (var ssh = await SshTarget.ConnectAsync(sshd.Endpoint()))
        {
            sshd.Stop();
            Assert.That(await ssh.AnswersAsync(TimeSpan.FromSeconds(2)), Is.False);
        }
        // The board comes back a little later (a reboot): the wait retries until it answers.
        var restart = Task.Run(async () => { await Task.Delay(1500); sshd.Restart(); });
        var watch = Stopwatch.StartNew();
        using (var again = await SshWait.UntilUpAsync(sshd.Endpoint(), TimeSpan.FromSeconds(30)))
            Assert.That((await again.RunAsync("echo back")).Output, Is.EqualTo("back\n"));
        Assert.That(watch.Elapsed, Is.GreaterThan(TimeSpan.FromSeconds(1.4)));
        await restart;

        sshd.NewHostKey();
        sshd.Restart();
        var e = Assert.ThrowsAsync<HostKeyMismatchException>(() => SshWait.UntilUpAsync(sshd.Endpoint(), TimeSpan.FromSeconds(30)));
        Assert.That(e!.Message, Does.Contain(sshd.HostKeyFingerprint).And.Contain("known_hosts"));
    }

    [Test]
    public async Task A_login_that_is_not_root_runs_commands_through_sudo()
    {
        if (ThrowawaySshd.CurrentUser != "root" || !File.Exists("/usr/bin/sudo") || !File.ReadAllText("/etc/passwd").Contains(SudoUser + ":", StringComparison.Ordinal))
            Assert.Ignore($"needs root, sudo and a user {SudoUser} with NOPASSWD sudo (.ci/run makes them)");
        using var sshd = ThrowawaySshd.Start();
        using (var plain = await SshTarget.ConnectAsync(sshd.Endpoint(SudoUser)))
            Assert.That((await plain.RunAsync("id -u")).Output.Trim(), Is.Not.EqualTo("0"));
        using var ssh = await SshTarget.ConnectAsync(sshd.Endpoint(SudoUser) with { Sudo = true });
        Assert.That((await ssh.RunAsync("id -u")).Output.Trim(), Is.EqualTo("0"));
        var written = await ssh.RunWithInputAsync("cat > /root/.ks-sudo-test && cat /root/.ks-sudo-test && rm /root/.ks-sudo-test",
            async s => await s.WriteAsync("as root\n"u8.ToArray()));
        Assert.That(written.Output, Is.EqualTo("as root\n"));
        var asked = await ssh.ConverseAsync("id -u; echo @@go; read -r w; echo \"$w\"", async (input, until) =>
        {
            Assert.That(await until("@@go"), Is.EqualTo("0\n"));
            await input.WriteAsync("answered\n"u8.ToArray());
        });
        Assert.That(asked.Output, Is.EqualTo("0\n@@go\nanswered\n"), "a conversation (probe, then copy) goes through sudo too");
    }

    [Test]
    public async Task A_sudo_that_wants_a_password_says_how_to_fix_it()
    {
        if (ThrowawaySshd.CurrentUser != "root" || !File.Exists("/usr/bin/sudo") || !File.ReadAllText("/etc/passwd").Contains(NoSudoUser + ":", StringComparison.Ordinal))
            Assert.Ignore($"needs root, sudo and a user {NoSudoUser} without sudo rights (.ci/run makes them)");
        using var sshd = ThrowawaySshd.Start();
        using var ssh = await SshTarget.ConnectAsync(sshd.Endpoint(NoSudoUser) with { Sudo = true });
        var e = Assert.ThrowsAsync<InvalidOperationException>(() => ssh.CheckAsync("id -u"));
        Assert.That(e!.Message, Does.Contain("password-less sudo"));
    }
}
