using KernelSoak.Journal;

namespace KernelSoak.Steps;

/// <summary>Where the runner says what it does (console, log file).</summary>
public interface IStepLog
{
    void Info(string message);
    void Warn(string message);
}

/// <summary>
/// Runs steps against the journal: skips what is done with the same inputs, says what it resumes,
/// records start and end of everything else. In dry-run it prints each step and its exact commands.
/// </summary>
public sealed class StepRunner(RunJournal journal, IStepLog log, bool dryRun)
{
    public bool DryRun => dryRun;
    // Read once per run: every later line says how long its step took before.
    private readonly StepHistory _history = new(journal.Entries);

    public async Task<IReadOnlyDictionary<string, StepResult>> RunAsync(IEnumerable<Step> steps, CancellationToken cancellation = default)
    {
        var results = new Dictionary<string, StepResult>();
        foreach (var step in steps)
            results[step.Id] = await RunAsync(step, cancellation);
        return results;
    }

    public async Task<StepResult> RunAsync(Step step, CancellationToken cancellation = default)
    {
        var done = !step.AlwaysRun && (step.Group is null
            ? journal.IsDone(step.Id, step.Fingerprint)
            : journal.LastEndWhere(id => id == step.Group || id.EndsWith("/" + step.Group, StringComparison.Ordinal)) is { Outcome: Outcomes.Ok } last && last.Fingerprint == step.Fingerprint);
        cancellation.ThrowIfCancellationRequested(); // interrupted between steps: the next one does not start
        if (dryRun)
        {
            var state = done ? "  [done, unchanged: would skip]" : "";
            log.Info($"step {step.Id}: {step.Title}{state} ({_history.Describe(step.Id)})");
            foreach (var command in step.Commands) log.Info($"    $ {command}");
            return StepResult.Ok(note: "dry run");
        }
        if (done)
        {
            var end = step.Group is null ? journal.LastEnd(step.Id)!
                : journal.LastEndWhere(id => id == step.Group || id.EndsWith("/" + step.Group, StringComparison.Ordinal))!;
            log.Info($"skip {step.Id}: done at {end.At:u} with the same inputs");
            return new StepResult(end.Outcome!, end.Outputs ?? new Dictionary<string, string>(), end.Note);
        }
        if (journal.WasInterrupted(step.Id)) log.Warn($"resuming {step.Id}: the previous run stopped inside it");
        else log.Info($"step {step.Id}: {step.Title} ({_history.Describe(step.Id)})");
        journal.Begin(step.Id, step.Fingerprint);
        try
        {
            var result = step.Action is null ? StepResult.Ok() : await step.Action(cancellation);
            journal.Complete(step.Id, step.Fingerprint, result.Outcome, result.Outputs, result.Note);
            return result;
        }
        catch (Exception) when (cancellation.IsCancellationRequested)
        {
            // Whatever a stopped command threw (a hung-up session, a make killed by the terminal's SIGINT):
            // the user stopped it, so it is no failure and no verdict.
            // Its remote commands were hung up on the way here (their process groups killed on the board).
            journal.Complete(step.Id, step.Fingerprint, Outcomes.Cancelled, note: "interrupted");
            log.Warn($"interrupted in {step.Id}: its commands were stopped; re-run the same command to do it again");
            throw new StepInterruptedException(step.Id, cancellation);
        }
        catch (Exception e)
        {
            journal.Complete(step.Id, step.Fingerprint, Outcomes.Failed, note: e.Message);
            throw;
        }
    }
}

/// <summary>The user stopped the run inside a step (Ctrl+C, SIGTERM); the journal says so, and the next run redoes the step.</summary>
public sealed class StepInterruptedException(string step, CancellationToken token)
    : OperationCanceledException($"interrupted in step {step}: re-run the same command to resume there", token)
{
    public string Step { get; } = step;
}
