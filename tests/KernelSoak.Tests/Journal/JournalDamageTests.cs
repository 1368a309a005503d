using KernelSoak.Journal;

namespace KernelSoak.Tests.Journal;

/// <summary>A garbled or torn line is reported and the step it may have ended runs again; nothing is skipped silently.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class JournalDamageTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("ks-journal-damage-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private string JournalPath => Path.Combine(_dir, "journal");

    /// <summary>Replaces the journal's line <paramref name="number"/> (1-based) by <paramref name="garbage"/>.</summary>
    private void Garble(int number, string garbage)
    {
        var lines = File.ReadAllLines(JournalPath);
        lines[number - 1] = garbage;
        File.WriteAllText(JournalPath, string.Join('\n', lines) + "\n");
    }

    private void Write(Action<RunJournal> entries)
    {
        using var j = RunJournal.Open(JournalPath);
        entries(j);
    }

    [Test]
    public void A_garbled_failed_end_makes_the_step_run_again_instead_of_done_with_the_same_inputs()
    {
        Write(j =>
        {
            j.Begin("install/image", "fp");                 // line 1
            j.Complete("install/image", "fp", Outcomes.Ok); // line 2: an earlier run
            j.Begin("install/image", "fp");                 // line 3: run again (the board lost it)
            j.Complete("install/image", "fp", Outcomes.Failed, note: "no space left on /boot/firmware"); // line 4
            j.Begin("boot", "fp2");                         // line 5
        });
        Garble(4, "{\"seq\":4,\"step\":\"install/image\",\"fp\":\"fp\",\"event\":\"end\",\"outc\u0000\u0000\u0000");

        using var journal = RunJournal.Open(JournalPath);
        Assert.That(journal.IsDone("install/image", "fp"), Is.False, "its last end could not be read: not done");
        Assert.That(journal.LastEnd("install/image")!.Outcome, Is.EqualTo(Outcomes.Unreadable));
        var damage = journal.Damage.Single();
        Assert.That(damage.Line, Is.EqualTo(4));
        Assert.That(damage.Describe(), Does.Contain("line 4").And.Contain("install/image will re-run"));
        Assert.That(journal.Entries, Has.Count.EqualTo(4), "the readable lines are all read");

        journal.Begin("install/image", "fp");
        journal.Complete("install/image", "fp", Outcomes.Ok);
        Assert.That(journal.IsDone("install/image", "fp"), Is.True, "ended again after the damage: done");
    }

    [Test]
    public void A_line_with_no_readable_step_revokes_the_steps_running_there_and_no_other()
    {
        Write(j =>
        {
            j.Begin("kernel/build", "k");                  // 1
            j.Complete("kernel/build", "k", Outcomes.Ok);  // 2
            j.Begin("stress", "s");                        // 3
            j.Complete("stress", "s", Outcomes.Ok);        // 4: garbled below
            j.Begin("harvest", "h");                       // 5
            j.Complete("harvest", "h", Outcomes.Ok);       // 6
        });
        Garble(4, "\u00ff\u00fe garbage from outside \u0001");

        using var journal = RunJournal.Open(JournalPath);
        Assert.That(journal.IsDone("stress", "s"), Is.False, "started and never readably ended");
        Assert.That(journal.IsDone("kernel/build", "k"), Is.True, "ended before: unaffected");
        Assert.That(journal.IsDone("harvest", "h"), Is.True, "ended after: unaffected");
        Assert.That(journal.Damage.Single().Affects, Is.EquivalentTo(new[] { "stress" }));
        Assert.That(journal.LastEndWhere(id => id.EndsWith("stress", StringComparison.Ordinal))!.Outcome, Is.EqualTo(Outcomes.Unreadable), "a group's end too");
    }

    [Test]
    public void A_damaged_line_before_a_later_readable_end_changes_nothing_but_is_still_reported()
    {
        Write(j =>
        {
            j.Begin("a", "fp");
            j.Complete("a", "fp", Outcomes.Failed);   // 2: garbled below
            j.Begin("a", "fp");
            j.Complete("a", "fp", Outcomes.Ok);
        });
        Garble(2, "{\"seq\":2,\"step\":\"a\",");
        using var journal = RunJournal.OpenReadOnly(JournalPath);
        Assert.That(journal.IsDone("a", "fp"), Is.True);
        Assert.That(journal.Damage, Has.Count.EqualTo(1));
    }

    [Test]
    public void A_torn_end_of_a_step_done_before_makes_it_run_again()
    {
        Write(j =>
        {
            j.Begin("a", "fp");
            j.Complete("a", "fp", Outcomes.Ok);
            j.Begin("a", "fp");
        });
        File.AppendAllText(JournalPath, "{\"seq\":4,\"step\":\"a\",\"fp\":\"fp\",\"event\":\"end\",\"outcome\":\"fai");
        using var journal = RunJournal.Open(JournalPath);
        Assert.That(journal.IsDone("a", "fp"), Is.False);
        Assert.That(journal.Damage.Single().Torn, Is.True);
    }

    [Test]
    public void The_journal_is_private_to_its_owner_also_when_an_older_version_left_it_readable()
    {
        File.WriteAllText(JournalPath, "");
        File.SetUnixFileMode(JournalPath, (UnixFileMode)0b110_100_100);
        using (RunJournal.Open(JournalPath)) { }
        Assert.That(File.GetUnixFileMode(JournalPath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        var fresh = Path.Combine(_dir, "fresh", "journal");
        using (RunJournal.Open(fresh)) { }
        Assert.That(File.GetUnixFileMode(fresh), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }
}
