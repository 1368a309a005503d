namespace KernelSoak.Reports;

/// <summary>
/// Classify's one body, shared by its three entries (the native kernelsoak-classify, the task host's
/// direct path, the Classify task): check the log, classify it, print JSON or the report lines.
/// </summary>
public static class ClassifyRun
{
    /// <summary>Classifies <paramref name="log"/>; a missing or unreadable log is an <see cref="ArgumentException"/> naming --log.</summary>
    public static void Run(string? log, string? format, bool quiet, IEnumerable<string> suppress, Action<string> line)
    {
        if (string.IsNullOrEmpty(log)) throw new ArgumentException("Classify needs --log=FILE (a dmesg, console capture, journalctl or pstore file)");
        if (LogPath.Problem(log) is { } problem) throw new ArgumentException(problem);
        if (format is not null && !format.Equals("json", StringComparison.OrdinalIgnoreCase) && !format.Equals("text", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"--format={format}: json or text");
        var classified = SavedLog.Classify(log, suppress);
        if (string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            using var stdout = Console.OpenStandardOutput();
            classified.WriteJson(stdout);
            stdout.Write("\n"u8);
            return;
        }
        if (!quiet)
            foreach (var text in classified.Lines()) line(text);
    }
}
