using System.Diagnostics;
using KernelSoak.Remote;

namespace KernelSoak.Remote.Tests;

/// <summary>SSH.NET against a real OpenSSH sshd: trust, commands, exit codes, timeouts, cancellation.</summary>
[TestFixture]
public sealed class SshTargetTests
{
    private ThrowawaySshd _sshd = null!;

    [OneTimeSetUp]
    public void StartDaemon() => _sshd = ThrowawaySshd.Start();

    [OneTimeTearDown]
    public void StopDaemon() => _sshd.Dispose();

    [Test]
    public async Task Known_hosts_entry_lets_the_connection_through_and_reports_the_fingerprint()
    {
        using var ssh = await SshTarget.ConnectAsync(_sshd.Endpoint());
        Assert.That(ssh.HostKeyFingerprint, Is.EqualTo(_sshd.HostKeyFingerprint));
        Assert.That(ssh.Cipher, Is.EqualTo("chacha20-poly1305@openssh.com"), "the cipher a board's CPU runs cheapest, as OpenSSH's client picks");
        var result = await ssh.RunAsync("echo out; echo err >&2; exit 3");
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(3));
            Assert.That(result.Output, Is.EqualTo("out\n"));
            Assert.That(result.Error, Is.EqualTo("err\n"));
        });
    }

    [Test]
    public async Task A_pinned_fingerprint_wins_and_a_wrong_pin_is_refused_with_both_fingerprints()
    {
        using (await SshTarget.ConnectAsync(_sshd.Endpoint() with { KnownHostsFile = "", PinnedHostKey = _sshd.HostKeyFingerprint })) { }
        const string wrong = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        var e = Assert.ThrowsAsync<HostKeyMismatchException>(() => SshTarget.ConnectAsync(_sshd.Endpoint() with { PinnedHostKey = wrong }));
        Assert.That(e!.Message, Does.Contain(wrong).And.Contain(_sshd.HostKeyFingerprint));
    }

    [Test]
    public async Task An_unknown_host_is_refused_unless_trust_on_first_use_is_asked_for_and_then_it_is_recorded()
    {
        var empty = Path.Combine(_sshd.Dir, "tofu_known_hosts");
        File.Delete(empty);
        var e = Assert.ThrowsAsync<UnknownHostKeyException>(() => SshTarget.ConnectAsync(_sshd.Endpoint() with { KnownHostsFile = empty }));
        Assert.That(e!.Message, Does.Contain(_sshd.HostKeyFingerprint).And.Contain("TrustOnFirstUse"));
        Assert.That(File.Exists(empty), Is.False, "nothing recorded without opt-in");

        using (await SshTarget.ConnectAsync(_sshd.Endpoint() with { KnownHostsFile = empty, TrustOnFirstUse = true })) { }
        Assert.That(File.ReadAllText(empty), Does.StartWith($"[127.0.0.1]:{_sshd.Port} ssh-ed25519 "));
        using (await SshTarget.ConnectAsync(_sshd.Endpoint() with { KnownHostsFile = empty })) { } // recorded = known now
    }

    [Test]
    public async Task Every_command_run_on_the_board_is_told_before_it_runs_and_keep_alives_are_not()
    {
        var told = new List<string>();
        var endpoint = _sshd.Endpoint() with { OnCommand = line => { lock (told) told.Add(line); } };
        using var ssh = await SshTarget.ConnectAsync(endpoint);
        await ssh.RunAsync("echo run");
        await ssh.StreamAsync("echo stream", _ => { }, CancellationToken.None);
        await ssh.CopyOutputAsync("echo copy", new MemoryStream());
        await ssh.RunWithInputAsync("cat > /dev/null", input => input.WriteAsync("x"u8.ToArray()).AsTask());
        Assert.That(await ssh.AnswersAsync(TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(told, Is.EqualTo(new[] { "echo run", "echo stream", "echo copy", "cat > /dev/null" }.Select(c => $"ssh {endpoint}: {c}")),
            "run.log gets each command's exact line, the endpoint named; the keep-alive probe is not told");
    }

    [Test]
    public async Task A_short_read_answers_fails_with_stderr_and_is_bounded_in_time()
    {
        using var ssh = await SshTarget.ConnectAsync(_sshd.Endpoint());
        Assert.That(await ssh.ReadAsync("cat /proc/sys/kernel/random/boot_id", TimeSpan.FromSeconds(10)), Is.EqualTo(File.ReadAllText("/proc/sys/kernel/random/boot_id")));
        var failed = Assert.ThrowsAsync<InvalidOperationException>(() => ssh.ReadAsync("cat /no/such/file", TimeSpan.FromSeconds(10)));
        Assert.That(failed!.Message, Does.Contain("exited 1").And.Contain("No such file"));
        var watch = Stopwatch.StartNew();
        Assert.ThrowsAsync<TimeoutException>(() => ssh.ReadAsync("sleep 30", TimeSpan.FromSeconds(1)));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public async Task A_conversation_answers_what_the_command_printed_before_it_takes_the_input()
    {
        using var ssh = await SshTarget.ConnectAsync(_sshd.Endpoint());
        const string command = "echo have; echo 42; echo @@go; read -r word && [ \"$word\" = send ] || exit 7; wc -c";
        string? asked = null;
        var sent = await ssh.ConverseAsync(command, async (input, until) =>
        {
            asked = await until("@@go");
            await input.WriteAsync("send\n"u8.ToArray());
            await input.WriteAsync(new byte[300_000]); // more than one SSH window: flows after the answer
        });
        Assert.That((asked, sent.ExitCode, sent.Output), Is.EqualTo(("have\n42\n", 0, "have\n42\n@@go\n300000\n")));

        var skipped = await ssh.ConverseAsync(command, async (input, until) =>
        {
            await until("@@go");
            await input.WriteAsync("skip\n"u8.ToArray());
        });
        Assert.That(skipped.ExitCode, Is.EqualTo(7));

        string? never = "";
        var ended = await ssh.ConverseAsync("echo only; echo why >&2; exit 3", async (_, until) => never = await until("@@go"));
        Assert.That((never, ended.ExitCode, ended.Error), Is.EqualTo(((string?)null, 3, "why\n")), "a command that ends before the marker: null, and its stderr kept");
    }

    [Test]
    public async Task Waiting_for_a_new_boot_passes_over_the_old_one_and_names_the_release()
    {
        var thisBoot = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        // The daemon's machine never reboots: its boot is the "old kernel still answering" the whole time.
        var e = Assert.ThrowsAsync<TimeoutException>(() => SshWait.UntilNewBootAsync(_sshd.Endpoint(), thisBoot, TimeSpan.FromSeconds(3)));
        Assert.That(e!.Message, Does.Contain("did not come back from its reboot within 3 s"));

        var boot = await SshWait.UntilNewBootAsync(_sshd.Endpoint(), "the-boot-before-the-reboot", TimeSpan.FromSeconds(30));
        using (boot.Session)
        {
            Assert.That(boot.BootId, Is.EqualTo(thisBoot));
            Assert.That(boot.Release, Is.EqualTo(File.ReadAllText("/proc/sys/kernel/osrelease").Trim()));
            Assert.That((await boot.Session.RunAsync("echo still usable")).Output, Is.EqualTo("still usable\n"));
        }
    }

    [Test]
    public void A_closed_port_is_unreachable_with_what_to_check()
    {
        var e = Assert.ThrowsAsync<BoardUnreachableException>(() => SshTarget.ConnectAsync(_sshd.Endpoint() with { Port = 1 }));
        Assert.That(e!.Message, Does.Contain("127.0.0.1:1").And.Contain("[Board] Host/Port"));
    }

    [Test]
    public async Task A_timeout_ends_the_command_and_kills_its_remote_process_group()
    {
        using var ssh = await SshTarget.ConnectAsync(_sshd.Endpoint());
        var marker = Marker();
        var watch = Stopwatch.StartNew();
        Assert.ThrowsAsync<TimeoutException>(() => ssh.RunAsync($"sleep {marker} & sleep {marker}; echo never", TimeSpan.FromSeconds(1)));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        await AssertGoneAsync(marker);
        Assert.That((await ssh.RunAsync("echo still usable")).Output, Is.EqualTo("still usable\n"));
    }

    [Test]
    public async Task Cancelling_a_stream_kills_the_remote_processes_and_keeps_the_lines_read()
    {
        using var ssh = await SshTarget.ConnectAsync(_sshd.Endpoint());
        var marker = Marker();
        var lines = new List<string>();
        using var cts = new CancellationTokenSource();
        var streaming = ssh.StreamAsync($"echo first; sleep {marker} & sleep {marker}", line => { lines.Add(line); cts.CancelAfter(300); }, cts.Token);
        await streaming.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(lines, Is.EqualTo(new[] { "first" }));
        await AssertGoneAsync(marker);
    }

    [Test]
    public async Task Cancelling_a_command_kills_its_remote_process_group()
    {
        using var ssh = await SshTarget.ConnectAsync(_sshd.Endpoint());
        var marker = Marker();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        Assert.CatchAsync<OperationCanceledException>(() => ssh.RunAsync($"sh -c 'sleep {marker}'; true", null, cts.Token));
        await AssertGoneAsync(marker);
    }

    /// <summary>A sleep length no other process uses, to find our remote processes with pgrep (the daemon is local).</summary>
    private static string Marker() => (900000 + Random.Shared.Next(99999)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task AssertGoneAsync(string marker)
    {
        for (var i = 0; i < 50; i++)
        {
            if (Pgrep(marker).Length == 0) return;
            await Task.Delay(100);
        }
        Assert.Fail($"remote processes left running: {Pgrep(marker)}");
    }

    private static string Pgrep(string marker)
    {
        using var p = Process.Start(new ProcessStartInfo("pgrep", ["-af", $"sleep {marker}"]) { RedirectStandardOutput = true })!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output.Trim();
    }
}
