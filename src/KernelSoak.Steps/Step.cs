namespace KernelSoak.Steps;

/// <summary>What a step produced, recorded in the journal.</summary>
public sealed record StepResult(string Outcome, IReadOnlyDictionary<string, string> Outputs, string? Note = null)
{
    public static StepResult Ok(IReadOnlyDictionary<string, string>? outputs = null, string? note = null) =>
        new(Journal.Outcomes.Ok, outputs ?? new Dictionary<string, string>(), note);
}

/// <summary>
/// One side effect of the run: an id, the fingerprint of its inputs, the exact commands it will run
/// (printed by --dryrun), and the action.
/// </summary>
public sealed record Step(string Id, string Title, string Fingerprint, IReadOnlyList<string> Commands,
    Func<CancellationToken, Task<StepResult>>? Action = null)
{
    /// <summary>Run even when done with the same fingerprint (checks, reboots, stress windows).</summary>
    public bool AlwaysRun { get; init; }

    /// <summary>
    /// Steps that change one shared thing (the build directory, the board's /lib/modules …) end in the same
    /// group name: such a step is done only when the latest of the group ran with the same inputs.
    /// </summary>
    public string? Group { get; init; }
}
