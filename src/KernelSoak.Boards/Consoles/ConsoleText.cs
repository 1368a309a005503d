namespace KernelSoak.Boards.Consoles;

/// <summary>Console text as people read it: lines ended by CR, LF or both, control characters left out.</summary>
public static class ConsoleText
{
    /// <summary>The last <paramref name="count"/> non-empty lines, joined with " | " (for a message that quotes the console).</summary>
    public static string Tail(string text, int count)
    {
        var lines = Lines(text).Where(l => l.Length > 0).TakeLast(count).ToList();
        return lines.Count == 0 ? "(nothing printed)" : string.Join(" | ", lines);
    }

    public static IEnumerable<string> Lines(string text) =>
        text.Split('\n').Select(l => new string([.. l.Where(c => c == '\t' || !char.IsControl(c))]).TrimEnd());
}
