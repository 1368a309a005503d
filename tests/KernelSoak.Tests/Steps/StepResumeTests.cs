using KernelSoak.Journal;
using KernelSoak.Steps;

namespace KernelSoak.Tests.Steps;

/// <summary>
/// A re-run after each journal state a step can be left in: never begun, begun and never ended (a killed host),
/// ended ok with the same or other inputs, failed, cancelled; a group's latest; a step that always runs.
/// </summary>
public class StepResumeTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("ks-resume-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);


    /// <summary>Leaves the journal as <paramref name="leave"/> says, then runs the step again: did it run, and what did the run say?</summary>
    private (bool Ran, StepResult Result, List<string> Said) ReRun(Action<RunJournal> leave, Step step)
    {
        var path = Path.Combine(_dir, "journal");
        using (var earlier = RunJournal.Open(path)) leave(earlier);
        using var journal = RunJournal.Open(path);
        var said = new SaidLines();
        var ran = false;
        var result = new StepRunner(journal, said, dryRun: false).RunAsync(step with
        {
            Action = _ => { ran = true; return Task.FromResult(StepResult.Ok(new Dictionary<string, string> { ["run"] = "new" })); },
        }).GetAwaiter().GetResult();
        Assert.That(journal.LastEnd(step.Id)?.Outcome, Is.EqualTo(Outcomes.Ok), "the step ends ok either way");
        return (ran, result, said.Lines);
    }

    private static Step Build(string fingerprint = "inputs-1") => new("kernel/build", "build", fingerprint, ["make"]);

    [Test]
    public void Never_begun_runs()
    {
        Assert.That(ReRun(_ => { }, Build()).Ran, Is.True);
    }

    [Test]
    public void Begun_and_never_ended_is_resumed_with_a_warning()
    {
        var (ran, _, said) = ReRun(j => j.Begin("kernel/build", "inputs-1"), Build());
        Assert.That(ran, Is.True);
        Assert.That(said, Has.Some.StartsWith("WARN resuming kernel/build"));
    }

    [Test]
    public void Ended_ok_with_the_same_inputs_is_skipped_and_gives_what_it_recorded()
    {
        var (ran, result, said) = ReRun(j => { j.Begin("kernel/build", "inputs-1"); j.Complete("kernel/build", "inputs-1", Outcomes.Ok, new Dictionary<string, string> { ["run"] = "old" }); }, Build());
        Assert.That(ran, Is.False);
        Assert.That(result.Outputs["run"], Is.EqualTo("old"));
        Assert.That(said, Has.Some.StartsWith("skip kernel/build: done at"));
    }

    [TestCase("inputs-0", Outcomes.Ok, Description = "other inputs")]
    [TestCase("inputs-1", Outcomes.Failed, Description = "failed")]
    [TestCase("inputs-1", Outcomes.Cancelled, Description = "stopped by Ctrl+C")]
    [TestCase("inputs-1", Outcomes.Unreadable, Description = "a damaged end line")]
    public void Ended_otherwise_runs_again(string fingerprint, string outcome)
    {
        Assert.That(ReRun(j => { j.Begin("kernel/build", fingerprint); j.Complete("kernel/build", fingerprint, outcome); }, Build()).Ran, Is.True);
    }

    [Test]
    public void A_step_that_always_runs_runs_even_when_done()
    {
        var boot = new Step("soak/boot", "boot", "inputs-1", ["reboot"]) { AlwaysRun = true };
        Assert.That(ReRun(j => { j.Begin("soak/boot", "inputs-1"); j.Complete("soak/boot", "inputs-1", Outcomes.Ok); }, boot).Ran, Is.True);
    }

    [Test]
    public void A_group_is_done_only_when_its_latest_member_ran_with_the_same_inputs()
    {
        // The board's /lib/modules: 0001's install, then 0002's, then 0001's again needs a real install.
        var install = (string probe) => new Step($"bisect/{probe}/install/modules", "modules", $"modules-{probe}", ["tar | ssh"]) { Group = "install/modules" };
        void Installed(RunJournal j, string probe) { j.Begin($"bisect/{probe}/install/modules", $"modules-{probe}"); j.Complete($"bisect/{probe}/install/modules", $"modules-{probe}", Outcomes.Ok); }
        Assert.That(ReRun(j => { Installed(j, "0001"); Installed(j, "0002"); }, install("0001")).Ran, Is.True, "0002 is on the board now");
        Assert.That(ReRun(_ => { }, install("0001")).Ran, Is.False, "0001 is the latest: nothing to send");
    }
}
