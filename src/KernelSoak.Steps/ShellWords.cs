using System.Text;

namespace KernelSoak.Steps;

/// <summary>
/// POSIX shell words as sh reads a line (single quotes, double quotes with \ escapes, \ outside quotes), enough
/// to read back a command line printed with <c>CommandLine.Quote</c>, and # comments. Operators are words that were not quoted.
/// </summary>
public static class ShellWords
{
    public sealed record Word(string Text, bool Bare);

    /// <summary>The words of <paramref name="line"/>; null when a quote is still open at its end.</summary>
    public static IReadOnlyList<Word>? Split(string line)
    {
        var words = new List<Word>();
        var word = new StringBuilder();
        bool inWord = false, bare = true;
        char quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quote == '\'')
            {
                if (ch == '\'') quote = '\0'; else word.Append(ch);
            }
            else if (quote == '"')
            {
                if (ch == '"') quote = '\0';
                else if (ch == '\\' && i + 1 < line.Length && "\"\\$`\n".Contains(line[i + 1])) word.Append(line[++i]);
                else word.Append(ch);
            }
            else if (ch == '#' && !inWord) break; // a comment, to the end of the line: its apostrophes open nothing
            else if (ch is '\'' or '"') { quote = ch; inWord = true; bare = false; }
            else if (ch == '\\' && i + 1 < line.Length) { word.Append(line[++i]); inWord = true; bare = false; }
            else if (char.IsWhiteSpace(ch))
            {
                if (inWord) words.Add(new Word(word.ToString(), bare));
                word.Clear();
                inWord = false;
                bare = true;
            }
            else { word.Append(ch); inWord = true; }
        }
        if (quote != '\0') return null;
        if (inWord) words.Add(new Word(word.ToString(), bare));
        return words;
    }
}
