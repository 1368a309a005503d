using KernelSoak.Boot;
using KernelSoak.Deploy;
using KernelSoak.Journal;

namespace KernelSoak.Remote.Tests;

/// <summary>
/// The default flip against a real sshd, with the host's run dying at each point around the board-side
/// change: the journal holds the intent before the file changes, and the next run puts the default back.
/// </summary>
[TestFixture]
public sealed class FlipJournalTests
{
    private ThrowawaySshd _sshd = null!;
    private ScratchBoard _board = null!;
    private string _journal = "";
    private readonly List<string> _said = [];

    [OneTimeSetUp]
    public void StartDaemon() => _sshd = ThrowawaySshd.Start();

    [OneTimeTearDown]
    public void StopDaemon() => _sshd.Dispose();

    [SetUp]
    public void NewBoard()
    {
        _board = new ScratchBoard(Directory.CreateTempSubdirectory("ks-board-").FullName);
        _journal = Path.Combine(Path.GetDirectoryName(_board.Root)!, "journal");
        _said.Clear();
    }

    [TearDown]
    public void RemoveBoard() => Directory.Delete(Path.GetDirectoryName(_board.Root)!, recursive: true);

    /// <summary>The board side as the run sees it, dying (like a SIGKILL or a lost reply) before or after the board's file changes.</summary>
    private sealed class DyingBoard(IBootDefault board, bool afterTheChange) : IBootDefault
    {
        public Task<(string Label, int MenuNumber, string Reason)> BootedLabelAsync(CancellationToken cancellation = default) => board.BootedLabelAsync(cancellation);

        public async Task<(string Previous, int PreviousMenuNumber)?> SetDefaultAsync(string label, CancellationToken cancellation = default)
        {
            if (afterTheChange) await board.SetDefaultAsync(label, cancellation);
            throw new IOException(afterTheChange ? "the reply was lost after the board wrote the file" : "killed before the board was touched");
        }
    }

    private async Task<string> InstallAsync(KernelInstaller installer)
    {
        var manifest = _board.Manifest();
        await installer.SyncModulesAsync(manifest);
        await installer.CopyImageAsync(manifest);
        await installer.UpdateExtlinuxAsync(manifest.Release);
        return await File.ReadAllTextAsync(_board.ExtlinuxPath);
    }

    [TestCase(true, TestName = "A flip whose reply is lost after the board changed is restored by the next run")]
    [TestCase(false, TestName = "A flip killed before the board changed leaves the default and the next run says so")]
    public async Task A_flip_interrupted_around_the_board_change_is_reconciled_by_the_next_run(bool afterTheChange)
    {
        using var ssh = await SshTarget.ConnectAsync(_sshd.Endpoint());
        var installer = new KernelInstaller(ssh, _board.Layout, _said.Add);
        var installed = await InstallAsync(installer);

        using (var journal = RunJournal.Open(_journal))
        {
            var flip = new DefaultFlipJournal(journal, new DyingBoard(installer, afterTheChange), _said.Add);
            Assert.ThrowsAsync<IOException>(() => flip.FlipAsync("bisect/0001/boot", _board.Layout.Label));
        }
        var boots = ExtlinuxConfig.Parse(await File.ReadAllTextAsync(_board.ExtlinuxPath)).DefaultLabel!.Name;
        Assert.That(boots, Is.EqualTo(afterTheChange ? _board.Layout.Label : "arch_devices"), "the board as the dying run left it");

        using (var journal = RunJournal.Open(_journal)) // the next run
        {
            Assert.That(DefaultFlipJournal.PendingIn(journal), Is.EqualTo(new PendingFlip("arch_devices", "1")), "the intent was journalled before the board changed");
            var config = ExtlinuxConfig.Parse(await File.ReadAllTextAsync(_board.ExtlinuxPath));
            Assert.That(DefaultFlipJournal.CheckDefault(config, "arch_devices", DefaultFlipJournal.PendingIn(journal)).Passed, "preflight lets the restore happen");
            var flip = new DefaultFlipJournal(journal, installer, _said.Add);
            Assert.That(await flip.RestoreAsync("the previous run stopped before it could"), Is.True);
            Assert.That(flip.Pending, Is.Null);
        }
        Assert.That(await File.ReadAllTextAsync(_board.ExtlinuxPath), Is.EqualTo(installed), "back byte for byte");
        Assert.That(_said, Has.Some.Contains(afterTheChange ? "default label arch_devices restored" : "was already in force"));
    }

    [Test]
    public async Task A_completed_flip_and_restore_leave_nothing_pending()
    {
        using var ssh = await SshTarget.ConnectAsync(_sshd.Endpoint());
        var installer = new KernelInstaller(ssh, _board.Layout, _said.Add);
        var installed = await InstallAsync(installer);
        using var journal = RunJournal.Open(_journal);
        var flip = new DefaultFlipJournal(journal, installer, _said.Add);
        await flip.FlipAsync("boot", _board.Layout.Label);
        Assert.That(journal.Entries.Select(e => e.Note), Is.EqualTo(new[] { DefaultFlipJournal.Intent, DefaultFlipJournal.Flipped }));
        Assert.That(flip.Pending, Is.EqualTo(new PendingFlip("arch_devices", "1")));
        await flip.RestoreAsync("verified");
        Assert.That(flip.Pending, Is.Null);
        Assert.That(await File.ReadAllTextAsync(_board.ExtlinuxPath), Is.EqualTo(installed));
    }
}
