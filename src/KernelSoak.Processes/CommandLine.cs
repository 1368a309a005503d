namespace KernelSoak.Processes;

/// <summary>A program and its arguments, printable as the exact shell line a user could paste.</summary>
public sealed record CommandLine(string Program, IReadOnlyList<string> Arguments, string? WorkingDirectory = null)
{
    /// <summary>What logs show instead of the arguments (a line whose secrets stay {secret:NAME}); null: the exact line.</summary>
    public string? Shown { get; init; }

    public static CommandLine Of(string program, params string[] arguments) => new(program, arguments);

    public CommandLine In(string directory) => this with { WorkingDirectory = directory };

    public override string ToString() => Shown ??
        (WorkingDirectory is null ? "" : $"(cd {Quote(WorkingDirectory)} && ")
        + string.Join(' ', new[] { Program }.Concat(Arguments).Select(Quote))
        + (WorkingDirectory is null ? "" : ")");

    /// <summary>POSIX shell quoting: bare when safe, else single quotes.</summary>
    public static string Quote(string word)
    {
        if (word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%^".Contains(c))) return word;
        return "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
