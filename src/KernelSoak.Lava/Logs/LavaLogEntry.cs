using System.Text.Json.Nodes;

namespace KernelSoak.Lava.Logs;

/// <summary>
/// One entry of a LAVA job log: when, the level (target = the board's console, input = what LAVA typed,
/// results, info, debug, error, exception …) and the message: text, or an object for "results".
/// </summary>
public sealed record LavaLogEntry(string Level, string? Text, JsonObject? Result, DateTime? Time)
{
    public bool IsConsole => Level == "target";
    public bool IsResult => Level == "results" && Result is not null;
}

/// <summary>A "results" entry: LAVA's own cases are in definition "lava"; the test action's under its name.</summary>
public sealed record LavaResult(string Definition, string Case, string Result, string? ErrorType, string? ErrorMessage)
{
    public bool Passed => Result == "pass";

    public static LavaResult? From(LavaLogEntry entry) =>
        entry is { IsResult: true, Result: { } r } && (string?)r["case"] is { } @case
            ? new LavaResult((string?)r["definition"] ?? "", @case, (string?)r["result"] ?? "", (string?)r["error_type"], (string?)r["error_msg"])
            : null;
}

/// <summary>One line of the board's console and when LAVA read it.</summary>
public sealed record ConsoleLine(string Text, DateTime? Time);
