using System.Diagnostics;
using KernelSoak.Boot;
using KernelSoak.Deploy;

namespace KernelSoak.Remote.Tests;

/// <summary>
/// Issue 16's fault matrix for InstallKernel, against a real sshd: the link cut, the daemon killed, the board
/// frozen, each at an exact byte of a module sync or an Image copy (a <see cref="TcpRelay"/> in between), and
/// extlinux.conf damaged on the board. Each ends with a clear error, the known-good files byte-identical,
/// nothing half-installed, and the next run completing.
/// </summary>
[TestFixture]
public sealed class BoardFaultTests : ScratchBoardFixture
{
    private TcpRelay _relay = null!;

    [SetUp]
    public void KnownGoodKernelAndRelay()
    {
        // What the board boots: its own Image and initramfs beside extlinux.conf (the fixture's file).
        File.WriteAllBytes(Path.Combine(Board.BootDir, "Image"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(512 * 1024));
        File.WriteAllText(Path.Combine(Board.BootDir, "initramfs-linux.img"), "known-good initramfs");
        _relay = new TcpRelay(Sshd.Port);
    }

    [TearDown]
    public void StopRelay() => _relay.Dispose();

    private SshEndpoint ThroughRelay => Sshd.Endpoint() with
    {
        Port = _relay.Port,
        PinnedHostKey = Sshd.HostKeyFingerprint,
        KeepAlive = TimeSpan.FromMilliseconds(500),
        DeadPeerAfter = TimeSpan.FromSeconds(2),
    };

    /// <summary>Every file of the board that is not the release being installed, by sha256.</summary>
    private Dictionary<string, string> KnownGood() =>
        Directory.GetFiles(Board.Root, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(Board.ModulesOnBoard + "/", StringComparison.Ordinal) && !f.Contains(ScratchBoard.Release, StringComparison.Ordinal)
                        && !f.Contains(".ks-", StringComparison.Ordinal) && !f.Contains(".kernelsoak-", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(Board.Root, f), ScratchBoard.Sha);

    /// <summary>Runs one install step through the relay with <paramref name="fault"/> armed after <paramref name="bytes"/>; returns what it threw.</summary>
    private async Task<Exception> FailsAsync(long bytes, Action fault, Func<KernelInstaller, Task> step)
    {
        using var ssh = await SshTarget.ConnectAsync(ThroughRelay);
        var installer = new KernelInstaller(ssh, Board.Layout, Said.Add);
        _relay.After(bytes, fault);
        var watch = Stopwatch.StartNew();
        var thrown = Assert.CatchAsync(() => step(installer))!;
        TestContext.Progress.WriteLine($"after {watch.Elapsed.TotalSeconds:0.0} s: {thrown.GetType().Name}: {thrown.Message}");
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), "the fault ends the step; it does not hang");
        return thrown;
    }

    /// <summary>The run after the fault (the link back): the whole install completes and verifies, nothing of the fault is left.</summary>
    private async Task NextRunCompletesAsync(Dictionary<string, string> knownGood)
    {
        WaitForTheFaultedCommandsToEnd();
        var (ssh, installer) = await ConnectAsync();
        using (ssh) await InstallAsync(installer);
        var manifest = Board.Manifest();
        Assert.Multiple(() =>
        {
            Assert.That(ScratchBoard.Sha(Board.Layout.ImagePath(ScratchBoard.Release)), Is.EqualTo(manifest.Image.Sha256));
            foreach (var m in manifest.Modules)
                Assert.That(ScratchBoard.Sha(Path.Combine(Board.ModulesOnBoard, m.RelativePath)), Is.EqualTo(m.Sha256), m.RelativePath);
            Assert.That(Directory.GetFileSystemEntries(Board.Root, "*.ks-*", SearchOption.AllDirectories), Is.Empty, "no temporary file or staging directory left");
            Assert.That(KnownGood().Where(k => k.Key != "boot/firmware/extlinux/extlinux.conf"), Is.EquivalentTo(knownGood.Where(k => k.Key != "boot/firmware/extlinux/extlinux.conf")),
                "the known-good kernel, initramfs and the other release's modules byte-identical");
            Assert.That(ExtlinuxConfig.Parse(File.ReadAllText(Board.ExtlinuxPath)).DefaultLabel?.Name, Is.EqualTo("arch_devices"), "U-Boot still boots known-good");
        });
    }

    /// <summary>
    /// The faulted step's board-side pipeline (`cat > X.ks-tmp …`) outlives its session by a moment, until its
    /// stdin closes; the next run writes the same temporary name, so it starts once that pipeline is gone (on
    /// a real board the power cycle does this).
    /// </summary>
    private void WaitForTheFaultedCommandsToEnd()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Directory.GetDirectories("/proc").Any(d => int.TryParse(Path.GetFileName(d), out var pid) && pid != Environment.ProcessId && CommandLineOf(d).Contains(Board.Root, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"commands on {Board.Root} still running 20 s after the fault");
            Thread.Sleep(100);
        }
    }

    private static string CommandLineOf(string procDir)
    {
        try
        {
            return File.ReadAllText(Path.Combine(procDir, "cmdline"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ""; // gone meanwhile
        }
    }

    /// <summary>Nothing half-installed: every module file present under the release is whole (its final hash); the known-good files unchanged.</summary>
    private void NothingHalf(Dictionary<string, string> knownGood)
    {
        var expected = Board.Manifest().Modules.ToDictionary(m => m.RelativePath, m => m.Sha256);
        var present = Directory.Exists(Board.ModulesOnBoard) ? Directory.GetFiles(Board.ModulesOnBoard, "*", SearchOption.AllDirectories) : [];
        Assert.Multiple(() =>
        {
            foreach (var f in present.Where(f => f.EndsWith(".ko", StringComparison.Ordinal)))
                Assert.That(ScratchBoard.Sha(f), Is.EqualTo(expected[Path.GetRelativePath(Board.ModulesOnBoard, f)]), $"{f} is the whole new file or absent");
            Assert.That(KnownGood(), Is.EquivalentTo(knownGood), "known-good files and extlinux.conf byte-identical");
            Assert.That(File.Exists(Board.Layout.ImagePath(ScratchBoard.Release)) ? ScratchBoard.Sha(Board.Layout.ImagePath(ScratchBoard.Release)) : "absent",
                Is.EqualTo("absent").Or.EqualTo(Board.Manifest().Image.Sha256), "the test Image is the whole new file or absent");
        });
    }

    [Test]
    public async Task The_link_cut_during_the_module_sync_leaves_no_half_module_and_the_next_run_completes()
    {
        var knownGood = KnownGood();
        var e = await FailsAsync(64 * 1024, _relay.Cut, i => i.SyncModulesAsync(Board.Manifest()));
        Assert.That(e, Is.TypeOf<BoardLinkLostException>());
        Assert.That(e.Message, Does.Contain("connection to").And.Contain("was lost").And.Contain("re-run"));
        NothingHalf(knownGood);
        await NextRunCompletesAsync(knownGood);
    }

    [Test]
    public async Task The_link_cut_during_the_Image_copy_keeps_the_installed_Image_and_the_next_run_completes()
    {
        var knownGood = KnownGood();
        var (ssh, installer) = await ConnectAsync();
        using (ssh) await installer.SyncModulesAsync(Board.Manifest());
        var image = Board.Layout.ImagePath(ScratchBoard.Release);
        File.WriteAllText(image, "the Image an earlier build installed");

        Assert.That(await FailsAsync(1024 * 1024, _relay.Cut, i => i.CopyImageAsync(Board.Manifest())), Is.TypeOf<BoardLinkLostException>());
        Assert.That(File.ReadAllText(image), Is.EqualTo("the Image an earlier build installed"), "never replaced by a part");
        Assert.That(KnownGood(), Is.EquivalentTo(knownGood));
        await NextRunCompletesAsync(knownGood);
    }

    [Test]
    public async Task The_boards_sshd_killed_during_the_Image_copy_is_a_clear_error_and_the_next_run_completes()
    {
        var knownGood = KnownGood();
        try
        {
            Assert.That(await FailsAsync(1024 * 1024, Sshd.Stop, i => i.CopyImageAsync(Board.Manifest())), Is.TypeOf<BoardLinkLostException>());
            NothingHalf(knownGood);
        }
        finally
        {
            Sshd.Restart(); // the board's init restarts it
        }
        await NextRunCompletesAsync(knownGood);
    }

    [Test]
    public Task A_board_frozen_during_the_Image_copy_is_found_by_the_keep_alive_and_the_next_run_completes() =>
        FrozenAsync(1024 * 1024, i => i.CopyImageAsync(Board.Manifest()));

    [Test]
    public Task A_board_frozen_during_the_module_sync_is_found_by_the_keep_alive_and_nothing_is_half_installed() =>
        FrozenAsync(64 * 1024, i => i.SyncModulesAsync(Board.Manifest()));

    /// <summary>Freezes the board's sshd once <paramref name="bytes"/> of <paramref name="step"/> went through; then the power cycle and the next run.</summary>
    private async Task FrozenAsync(long bytes, Func<KernelInstaller, Task> step)
    {
        var knownGood = KnownGood();
        try
        {
            var e = await FailsAsync(bytes, Sshd.FreezeSessions, step);
            Assert.That(e, Is.TypeOf<PeerFrozenException>());
            Assert.That(e.Message, Does.Contain("stopped answering").And.Contain("power-cycle"));
            NothingHalf(knownGood);
        }
        finally
        {
            // The power cycle: the frozen sessions go (their half-written temp file is the next run's to replace).
            _relay.Cut();
            Sshd.ThawSessions();
            Sshd.WaitForNoSessions(TimeSpan.FromSeconds(20));
        }
        await NextRunCompletesAsync(knownGood);
    }

    private static readonly object[] Damaged =
    [
        new object[] { "empty", ""u8.ToArray() },
        new object[] { "truncated inside the first label", System.Text.Encoding.UTF8.GetBytes(ScratchBoard.Extlinux[..(ScratchBoard.Extlinux.IndexOf("    kernel /Image\n", StringComparison.Ordinal) - 10)]) },
        new object[] { "truncated before any label", System.Text.Encoding.UTF8.GetBytes(ScratchBoard.Extlinux[..ScratchBoard.Extlinux.IndexOf("label", StringComparison.Ordinal)]) },
        new object[] { "binary", new Random(16).GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 4096) },
    ];

    [TestCaseSource(nameof(Damaged))]
    public async Task A_damaged_extlinux_conf_is_refused_by_every_change_and_left_byte_for_byte(string shape, byte[] content)
    {
        File.WriteAllBytes(Board.ExtlinuxPath, content);
        var (ssh, installer) = await ConnectAsync();
        using (ssh)
        {
            foreach (var (what, change) in new (string, Func<Task>)[]
                     {
                         ("add the label", () => installer.UpdateExtlinuxAsync(ScratchBoard.Release)),
                         ("flip the default", () => installer.SetDefaultAsync("arch_devices_lockdep_kasan")),
                         ("read what U-Boot boots", () => installer.BootedLabelAsync()),
                     })
            {
                var e = Assert.CatchAsync(change)!;
                Assert.That(e, Is.TypeOf<ExtlinuxException>(), $"{shape}, {what}: {e}");
                Assert.That(e.Message, Does.Contain(Board.ExtlinuxPath).And.Contain("Nothing was changed"), what);
            }
        }
        Assert.That(File.ReadAllBytes(Board.ExtlinuxPath), Is.EqualTo(content), "the file as it was");
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(Board.ExtlinuxPath)!, "*.kernelsoak-*"), Is.Empty, "no backup: nothing was written");
    }
}
