using KernelSoak.Journal;
using KernelSoak.Lava.Farm;

namespace KernelSoak.Lava.Tests;

/// <summary>Submit or reattach, decided from a real journal file the way a restarted host reads it.</summary>
public class LavaResumeTests
{
    private const string Step = "bisect/0001/lava", Inputs = "fp-1";
    private string _dir = "";

    [SetUp]
    public void MakeDir() => _dir = Directory.CreateTempSubdirectory("ks-resume-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    /// <summary>The journal as it is after <paramref name="write"/>, read back by a new process (a restarted host).</summary>
    private LavaStart After(Action<RunJournal> write, string step = Step, string inputs = Inputs)
    {
        var path = Path.Combine(_dir, "journal");
        using (var journal = RunJournal.Open(path)) write(journal);
        using var reopened = RunJournal.Open(path);
        reopened.Begin(step, inputs); // the step starts again before it decides
        return LavaResume.Decide(reopened.Entries, step, inputs);
    }

    private static void Submitted(RunJournal j, int id = 41, string inputs = Inputs, int port = 38123) =>
        j.Note(Step, NoteKind.LavaJobSubmitted, LavaResume.NoteOutputs(id, inputs, port));

    [Test]
    public void A_step_that_never_submitted_submits() =>
        Assert.That(After(j => j.Begin(Step, Inputs)), Is.TypeOf<LavaStart.Submit>());

    [Test]
    public void A_host_killed_after_submission_reattaches_to_the_journalled_job_and_port()
    {
        var start = After(j => { j.Begin(Step, Inputs); Submitted(j); });
        Assert.That(start, Is.EqualTo(new LavaStart.Reattach(41, 38123)));
    }

    [Test]
    public void A_host_killed_twice_still_reattaches_to_the_one_job()
    {
        var start = After(j => { j.Begin(Step, Inputs); Submitted(j); j.Begin(Step, Inputs); });
        Assert.That(start, Is.EqualTo(new LavaStart.Reattach(41, 38123)));
    }

    [Test]
    public void A_job_followed_to_its_end_is_not_reattached_a_retry_submits_anew()
    {
        var start = After(j => { j.Begin(Step, Inputs); Submitted(j); j.Complete(Step, Inputs, Outcomes.Failed, note: "LAVA: cancelled"); });
        Assert.That(start, Is.TypeOf<LavaStart.Submit>().And.Property("Why").Contains("followed to its end"));
    }

    [Test]
    public void A_job_cancelled_with_the_step_by_Ctrl_C_is_not_reattached() =>
        Assert.That(After(j => { j.Begin(Step, Inputs); Submitted(j); j.Complete(Step, Inputs, Outcomes.Cancelled, note: "interrupted"); }),
            Is.TypeOf<LavaStart.Submit>());

    [Test]
    public void A_job_made_from_other_inputs_is_another_probe()
    {
        var start = After(j => { j.Begin(Step, "fp-0"); Submitted(j, inputs: "fp-0"); });
        Assert.That(start, Is.TypeOf<LavaStart.Submit>().And.Property("Why").Contains("other inputs"));
    }

    [Test]
    public void Another_step_s_job_is_not_this_one_s() =>
        Assert.That(After(j => { j.Begin(Step, Inputs); Submitted(j); }, step: "bisect/0002/lava"), Is.TypeOf<LavaStart.Submit>());

    [Test]
    public void The_last_of_several_jobs_is_the_one_followed()
    {
        var start = After(j =>
        {
            j.Begin(Step, Inputs);
            Submitted(j, id: 40);
            j.Complete(Step, Inputs, Outcomes.Failed, note: "infra");
            j.Begin(Step, Inputs);
            Submitted(j, id: 41, port: 0);
        });
        Assert.That(start, Is.EqualTo(new LavaStart.Reattach(41, 0)));
    }
}
