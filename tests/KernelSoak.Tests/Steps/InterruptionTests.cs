using KernelSoak.Journal;
using KernelSoak.Steps;

namespace KernelSoak.Tests.Steps;

/// <summary>Ctrl+C: the first stops the running step (journalled as cancelled, redone by the next run), the second ends the process.</summary>
public class InterruptionTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("ks-interrupt-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);


    [Test]
    public void The_first_signal_cancels_and_is_swallowed_the_second_is_left_to_end_the_process()
    {
        var said = new List<string>();
        using var interruption = new Interruption(said.Add, listen: false);
        Assert.That(interruption.Token.IsCancellationRequested, Is.False);
        Assert.That(interruption.Handle("SIGINT"), Is.True, "swallowed: the run unwinds by itself");
        Assert.That(interruption.Token.IsCancellationRequested, Is.True);
        Assert.That(interruption.Handle("SIGINT"), Is.False, "the default: the process ends at once");
        Assert.That(said, Has.Count.EqualTo(2));
        Assert.That(said[0], Does.Contain("stopping the running step").And.Contain("again exits at once"));
    }

    [Test]
    public async Task An_interrupted_step_is_journalled_as_cancelled_no_later_step_starts_and_the_next_run_redoes_it()
    {
        var path = Path.Combine(_dir, "journal");
        var log = new SaidLines();
        using var interruption = new Interruption(_ => { }, listen: false);
        var started = new TaskCompletionSource();
        var stress = new Step("soak/stress", "a long window", "fp", [], async ct =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return StepResult.Ok();
        });
        var laterRan = false;
        var harvest = new Step("soak/harvest", "collect", "fp", [], _ => { laterRan = true; return Task.FromResult(StepResult.Ok()); });
        using (var journal = RunJournal.Open(path))
        {
            var runner = new StepRunner(journal, log, dryRun: false);
            var run = runner.RunAsync([stress, harvest], interruption.Token);
            await started.Task;
            interruption.Handle("SIGINT");
            var e = Assert.ThrowsAsync<StepInterruptedException>(async () => await run);
            Assert.That(e!.Step, Is.EqualTo("soak/stress"));
            Assert.That(e, Is.InstanceOf<OperationCanceledException>(), "the host maps it to exit 130");
        }
        Assert.That(laterRan, Is.False);
        Assert.That(log.Lines.Last(), Does.StartWith("WARN interrupted in soak/stress"));
        using var reopened = RunJournal.Open(path);
        Assert.That(reopened.LastEnd("soak/stress")!.Outcome, Is.EqualTo(Outcomes.Cancelled));
        Assert.That(reopened.IsDone("soak/stress", "fp"), Is.False, "redone by the next run");
        Assert.That(reopened.WasInterrupted("soak/stress"), Is.True, "and said to be resumed");
    }
}
