using System.Diagnostics;
using KernelSoak.Journal;

namespace KernelSoak.Tests.Journal;

/// <summary>One run per campaign and per board: the second gets the holder's pid, host and command; a dead holder's lease is taken over.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class LeaseTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("ks-lease-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private string JournalPath => Path.Combine(_dir, "journal");
    private string BoardLock => Path.Combine(_dir, "leases", "board-127.0.0.1%3A2222.lock");

    [Test]
    public async Task A_second_process_is_refused_with_the_holders_pid_host_and_command_and_takes_over_once_it_is_killed()
    {
        // A real run: another process appends to the campaign's journal and holds the board.
        var writer = Path.Combine(TestContext.CurrentContext.TestDirectory, "KernelSoak.JournalWriter.dll");
        using var child = Process.Start(new ProcessStartInfo("dotnet", [writer, JournalPath, "4096", BoardLock]) { RedirectStandardOutput = true })!;
        try
        {
            Assert.That(await child.StandardOutput.ReadLineAsync(), Is.EqualTo("ready"));

            var journal = Assert.Throws<LeaseHeldException>(() => RunJournal.Open(JournalPath))!;
            var board = Assert.Throws<LeaseHeldException>(() => Lease.Acquire(BoardLock, "the board 127.0.0.1:2222"))!;
            foreach (var refused in new[] { journal, board })
            {
                Assert.That(refused.Holder!.Pid, Is.EqualTo(child.Id));
                Assert.That(refused.Message, Does.Contain($"pid {child.Id}").And.Contain(Environment.MachineName).And.Contain("KernelSoak.JournalWriter.dll"));
            }
            Assert.That(journal.Message, Does.Contain(JournalPath));
            Assert.That(board.Message, Does.Contain("the board 127.0.0.1:2222"));
        }
        finally
        {
            child.Kill();   // SIGKILL: no chance to release anything
            await child.WaitForExitAsync();
        }

        using var taken = RunJournal.Open(JournalPath);
        Assert.That(taken.LeaseNotice, Does.Contain("took over").And.Contain($"pid {child.Id}").And.Contain("gone"));
        using var boardLease = Lease.Acquire(BoardLock, "the board 127.0.0.1:2222");
        Assert.That(boardLease.TakeOverNotice("the board"), Does.Contain($"pid {child.Id}"));
        Assert.That(boardLease.TakenOverFrom!.CommandLine, Does.Contain(JournalPath));
        var seqs = taken.Entries.Select(e => e.Seq).ToList();
        Assert.That(seqs, Is.EqualTo(Enumerable.Range(1, seqs.Count).Select(i => (long)i)), "one writer at a time: no entry written over another");
    }

    [Test]
    public void A_lease_released_on_purpose_is_free_without_a_takeover_and_the_same_process_cannot_take_it_twice()
    {
        using (var first = RunJournal.Open(JournalPath))
        {
            Assert.That(first.LeaseNotice, Is.Null);
            var e = Assert.Throws<LeaseHeldException>(() => RunJournal.Open(JournalPath))!;
            Assert.That(e.Holder!.Pid, Is.EqualTo(Environment.ProcessId));
        }
        using var second = RunJournal.Open(JournalPath);
        Assert.That(second.LeaseNotice, Is.Null, "released cleanly: nothing to take over");
        Assert.That(File.GetUnixFileMode(JournalPath + ".lock"), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public void A_dry_run_reads_the_journal_of_a_running_campaign_without_taking_its_lease()
    {
        using var running = RunJournal.Open(JournalPath);
        running.Begin("a", "fp");
        var dry = RunJournal.OpenReadOnly(JournalPath);
        Assert.That(dry.WasInterrupted("a"), Is.True);
    }
}
