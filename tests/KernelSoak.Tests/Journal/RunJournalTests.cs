using System.Diagnostics;
using KernelSoak.Journal;

namespace KernelSoak.Tests.Journal;

public class RunJournalTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("ks-journal-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private string JournalPath => Path.Combine(_dir, "journal");

    [Test]
    public void Done_only_with_the_same_fingerprint_and_ok()
    {
        using (var j = RunJournal.Open(JournalPath))
        {
            j.Begin("kernel/build", "fp1");
            j.Complete("kernel/build", "fp1", Outcomes.Ok, new Dictionary<string, string> { ["release"] = "6.1.192-ks" });
            j.Begin("install/image", "fp2");
            j.Complete("install/image", "fp2", Outcomes.Failed);
        }
        using var reopened = RunJournal.Open(JournalPath);
        Assert.That(reopened.IsDone("kernel/build", "fp1"), Is.True);
        Assert.That(reopened.IsDone("kernel/build", "fp-changed"), Is.False, "changed inputs redo the step");
        Assert.That(reopened.IsDone("install/image", "fp2"), Is.False, "a failed step is not done");
        Assert.That(reopened.LastEnd("kernel/build")!.Outputs!["release"], Is.EqualTo("6.1.192-ks"));
        Assert.That(reopened.IsDone("boot", "fp3"), Is.False, "a step never started is not done");
    }

    [Test]
    public void Started_without_end_is_interrupted()
    {
        using (var j = RunJournal.Open(JournalPath)) j.Begin("boot/wait", "fp");
        using var reopened = RunJournal.Open(JournalPath);
        Assert.That(reopened.WasInterrupted("boot/wait"), Is.True);
        reopened.Complete("boot/wait", "fp", Outcomes.Ok);
        Assert.That(reopened.WasInterrupted("boot/wait"), Is.False);
    }

    [Test]
    public void Torn_last_line_is_read_as_far_as_it_goes_reported_and_terminated_by_the_next_append()
    {
        using (var j = RunJournal.Open(JournalPath))
        {
            j.Begin("a", "fp");
            j.Complete("a", "fp", Outcomes.Ok);
        }
        const string fragment = "{\"seq\":3,\"step\":\"b\",\"fp\":\"f";   // power cut mid-line
        File.AppendAllText(JournalPath, fragment);
        var before = File.ReadAllBytes(JournalPath);
        using (var j = RunJournal.Open(JournalPath))
        {
            Assert.That(j.TornBytes, Is.EqualTo(fragment.Length));
            Assert.That(j.Entries, Has.Count.EqualTo(2));
            Assert.That(j.Damage.Single(), Has.Property("Torn").True.And.Property("Step").EqualTo("b").And.Property("Line").EqualTo(3));
            Assert.That(File.ReadAllBytes(JournalPath), Is.EqualTo(before), "opening changes nothing");
            j.Begin("b", "fp");
        }
        Assert.That(File.ReadAllText(JournalPath), Does.Contain(fragment + "\n{"), "the fragment is kept, as a line of its own");
        using var again = RunJournal.Open(JournalPath);
        Assert.That(again.Entries.Select(e => e.Seq), Is.EqualTo(new long[] { 1, 2, 3 }));
        Assert.That(again.TornBytes, Is.Zero);
        Assert.That(again.Damage.Single().Torn, Is.False, "now a garbled middle line, still reported");
        Assert.That(again.WasInterrupted("b"), Is.True);
    }

    [Test]
    public void Read_only_journal_creates_nothing_and_refuses_writes()
    {
        var j = RunJournal.OpenReadOnly(JournalPath);
        Assert.That(File.Exists(JournalPath), Is.False);
        Assert.Throws<InvalidOperationException>(() => j.Begin("x", "fp"));
    }

    [TestCase(0)]
    [TestCase(30)]
    [TestCase(120)]
    public async Task Sigkill_of_a_writer_leaves_a_journal_the_next_run_reads(int killAfterMs)
    {
        // A real child process appends 64 KiB lines (several write() calls each) until it is SIGKILLed.
        var writer = Path.Combine(TestContext.CurrentContext.TestDirectory, "KernelSoak.JournalWriter.dll");
        Assert.That(File.Exists(writer), Is.True, writer);
        using var child = Process.Start(new ProcessStartInfo("dotnet", [writer, JournalPath, "65536"]) { RedirectStandardOutput = true })!;
        Assert.That(await child.StandardOutput.ReadLineAsync(), Is.EqualTo("ready"));
        await Task.Delay(killAfterMs);
        child.Kill();   // SIGKILL on Linux
        await child.WaitForExitAsync();

        using var journal = RunJournal.Open(JournalPath);
        var entries = journal.Entries;
        Assert.That(entries.Count, Is.GreaterThanOrEqualTo(2));
        Assert.That(entries.Select(e => e.Seq), Is.EqualTo(Enumerable.Range(1, entries.Count).Select(i => (long)i)), "no gap, no garbage");
        foreach (var end in entries.Where(e => e.Event == JournalEvent.End))
            Assert.That(end.Outputs!["payload"], Has.Length.EqualTo(65536), "every entry read is whole");
        var last = entries[^1];
        if (last.Event == JournalEvent.Start)
            Assert.That(journal.WasInterrupted(last.Step), Is.True, "the step being written when killed is seen as interrupted");
        journal.Begin("after-kill", "fp");
        journal.Dispose();   // the next run (a journal is leased to one holder at a time)
        using var again = RunJournal.Open(JournalPath);
        Assert.That(again.Entries[^1].Step, Is.EqualTo("after-kill"));
        Assert.That(again.TornBytes, Is.Zero);
    }

    [Test]
    public void Notes_a_run_acts_on_are_typed_and_a_journal_from_before_kinds_still_reads()
    {
        using (var j = RunJournal.Open(JournalPath))
        {
            j.Note("bisect/0001/boot", NoteKind.RebootIssued, new Dictionary<string, string> { ["boot_id"] = "b1" });
            j.Note("uninstall", "removed 6.1.0-ks");
        }
        var lines = File.ReadAllLines(JournalPath);
        Assert.That(lines[0], Does.Contain("\"kind\":\"rebootIssued\""));
        // As main wrote it before kinds (session 11): the text only.
        File.AppendAllText(JournalPath, "{\"seq\":3,\"step\":\"bisect/0002/boot\",\"fp\":\"\",\"event\":\"note\",\"at\":\"2026-12-02T18:00:00+00:00\",\"outputs\":{\"boot_id\":\"b2\"},\"note\":\"reboot issued\"}\n");
        using var reopened = RunJournal.Open(JournalPath);
        Assert.That(reopened.Entries.Select(e => e.NoteKind), Is.EqualTo(new[] { NoteKind.RebootIssued, NoteKind.Text, NoteKind.RebootIssued }));
        Assert.That(reopened.LastNote(NoteKind.RebootIssued)!.Outputs!["boot_id"], Is.EqualTo("b2"), "the old line counts");
        Assert.That(reopened.LastNote(NoteKind.RebootIssued, "bisect/0001/boot")!.Outputs!["boot_id"], Is.EqualTo("b1"));
        Assert.That(reopened.LastNote(NoteKind.DefaultFlipped), Is.Null);
    }

    [Test]
    public void Every_kind_of_note_has_its_own_words_and_reads_back_as_that_kind()
    {
        var kinds = Enum.GetValues<NoteKind>().Where(k => k != NoteKind.Text).ToList();
        Assert.That(kinds.Select(NoteWords.Of).Distinct().Count(), Is.EqualTo(kinds.Count), "no two kinds share their words");
        Assert.That(kinds.Select(k => NoteWords.KindOf(NoteWords.Of(k))), Is.EqualTo(kinds));
        Assert.That(NoteWords.KindOf("started"), Is.EqualTo(NoteKind.Text), "a word only people read stays text");
    }
}
