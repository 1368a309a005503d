using KernelSoak.Boot;
using KernelSoak.Deploy;
using KernelSoak.Journal;

namespace KernelSoak.Remote.Tests;

/// <summary>
/// The default flip against a real sshd, with the host's run dying at each point around the board-side
/// change: the journal holds the intent before the file changes, and the next run puts the default back.
/// </summary>
[TestFixture]
public sealed class FlipJournalTests : ScratchBoardFixture
{
    private string _journal = "";

    [SetUp]
    public void NewJournal() => _journal = Path.Combine(Path.GetDirectoryName(Board.Root)!, "journal");

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

    [TestCase(true, TestName = "A flip whose reply is lost after the board changed is restored by the next run")]
    [TestCase(false, TestName = "A flip killed before the board changed leaves the default and the next run says so")]
    public async Task A_flip_interrupted_around_the_board_change_is_reconciled_by_the_next_run(bool afterTheChange)
    {
        var (ssh, installer) = await ConnectAsync();
        using var session = ssh;
        await InstallAsync(installer);
        var installed = await File.ReadAllTextAsync(Board.ExtlinuxPath);

        using (var journal = RunJournal.Open(_journal))
        {
            var flip = new DefaultFlipJournal(journal, new DyingBoard(installer, afterTheChange), Said.Add);
            Assert.ThrowsAsync<IOException>(() => flip.FlipAsync("bisect/0001/boot", Board.Layout.Label));
        }
        var boots = ExtlinuxConfig.Parse(await File.ReadAllTextAsync(Board.ExtlinuxPath)).DefaultLabel!.Name;
        Assert.That(boots, Is.EqualTo(afterTheChange ? Board.Layout.Label : "arch_devices"), "the board as the dying run left it");

        using (var journal = RunJournal.Open(_journal)) // the next run
        {
            Assert.That(DefaultFlipJournal.PendingIn(journal), Is.EqualTo(new PendingFlip("arch_devices", "1")), "the intent was journalled before the board changed");
            var config = ExtlinuxConfig.Parse(await File.ReadAllTextAsync(Board.ExtlinuxPath));
            Assert.That(DefaultFlipJournal.CheckDefault(config, "arch_devices", DefaultFlipJournal.PendingIn(journal)).Passed, "preflight lets the restore happen");
            var flip = new DefaultFlipJournal(journal, installer, Said.Add);
            Assert.That(await flip.RestoreAsync("the previous run stopped before it could"), Is.True);
            Assert.That(flip.Pending, Is.Null);
        }
        Assert.That(await File.ReadAllTextAsync(Board.ExtlinuxPath), Is.EqualTo(installed), "back byte for byte");
        Assert.That(Said, Has.Some.Contains(afterTheChange ? "default label arch_devices restored" : "was already in force"));
    }

    [Test]
    public async Task A_completed_flip_and_restore_leave_nothing_pending()
    {
        var (ssh, installer) = await ConnectAsync();
        using var session = ssh;
        await InstallAsync(installer);
        var installed = await File.ReadAllTextAsync(Board.ExtlinuxPath);
        using var journal = RunJournal.Open(_journal);
        var flip = new DefaultFlipJournal(journal, installer, Said.Add);
        await flip.FlipAsync("boot", Board.Layout.Label);
        Assert.That(journal.Entries.Select(e => e.Kind), Is.EqualTo(new NoteKind?[] { NoteKind.FlipIntent, NoteKind.DefaultFlipped }));
        Assert.That(flip.Pending, Is.EqualTo(new PendingFlip("arch_devices", "1")));
        await flip.RestoreAsync("verified");
        Assert.That(flip.Pending, Is.Null);
        Assert.That(await File.ReadAllTextAsync(Board.ExtlinuxPath), Is.EqualTo(installed));
    }
}
