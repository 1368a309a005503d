using System.Text;
using System.Text.RegularExpressions;

namespace KernelSoak.Steps;

/// <summary>
/// Holds a run to its dry run: every external command in a run's log (local, or "ssh user@host:port: …")
/// must be one the dry run of the same campaign printed ("    $ …"), where a dry-run value known only at run
/// time is a placeholder (&lt;record&gt;, &lt;timestamp&gt; …) or elided (…). A dry-run ssh line is read as the
/// user would paste it: its remote command is the argument after user@host, unwrapped from sudo.
/// </summary>
public static partial class AnnouncedCommands
{
    /// <summary>The commands a run started, in order, from its run.log lines (a command may span lines).</summary>
    public static IReadOnlyList<string> FromRunLog(IEnumerable<string> lines)
    {
        var commands = new List<StringBuilder>();
        var inCommand = false;
        foreach (var line in lines)
        {
            var entry = RunLogEntry().Match(line);
            if (entry.Success)
            {
                inCommand = entry.Groups["text"].Value.StartsWith("$ ", StringComparison.Ordinal);
                if (inCommand) commands.Add(new StringBuilder(entry.Groups["text"].Value[2..]));
            }
            else if (inCommand) commands[^1].Append('\n').Append(line); // a command with a newline in it
        }
        return [.. commands.Select(c => c.ToString())];
    }

    /// <summary>The dry run's announced commands as patterns, in the form <see cref="FromRunLog"/> gives.</summary>
    public static IReadOnlyList<Regex> FromDryRun(IEnumerable<string> lines)
    {
        var patterns = new List<Regex>();
        string? open = null;
        foreach (var line in lines)
        {
            if (open is null && !line.StartsWith("    $ ", StringComparison.Ordinal)) continue;
            var text = open is null ? line[6..] : open + "\n" + line;
            var words = ShellWords.Split(text);
            if (words is null) { open = text; continue; } // inside a quote: the command goes on next line
            open = null;
            patterns.Add(Pattern(Normalise(text, words)));
        }
        return patterns;
    }

    /// <summary>The run's commands (each once) that no announced pattern matches.</summary>
    public static IReadOnlyList<string> Unannounced(IEnumerable<string> run, IReadOnlyList<Regex> announced) =>
        [.. run.Distinct().Where(command => !announced.Any(p => p.IsMatch(command)))];

    /// <summary>A dry-run line as the run's log would show it: local as printed, ssh as "ssh user@host:port: command".</summary>
    private static string Normalise(string text, IReadOnlyList<ShellWords.Word> words)
    {
        var ssh = words.ToList().FindIndex(w => w.Bare && w.Text == "ssh");
        if (ssh < 0) return Comment().Replace(text, "");
        string? port = null, user = null;
        var i = ssh + 1;
        for (; i < words.Count && words[i].Text.StartsWith('-'); i += 2)
            if (words[i].Text == "-p" && i + 1 < words.Count) port = words[i + 1].Text;
        if (i >= words.Count) return text;
        user = words[i].Text;
        var remote = words.Skip(i + 1).TakeWhile(w => !(w.Bare && IsOperator(w.Text))).Select(w => w.Text).ToList();
        var command = string.Join(' ', remote);
        if (command.StartsWith(SudoPrefix, StringComparison.Ordinal) && ShellWords.Split(command[SudoPrefix.Length..]) is [var inner]) command = inner.Text;
        return $"ssh {user}:{port ?? "22"}: {command}";
    }

    private const string SudoPrefix = "sudo -n -- sh -c ";

    private static bool IsOperator(string word) => word is "|" or "||" or "&&" or ";" or "<" or ">" or "2>" or ">>"
        || word.StartsWith('#') || word.StartsWith('(') || word.StartsWith('>');

    /// <summary>Literal text, with every &lt;placeholder&gt; and … matching any text.</summary>
    private static Regex Pattern(string announced) => new("^" + Literal(announced, quoted: true) + "$", RegexOptions.CultureInvariant);

    /// <summary>
    /// A quoted word with a placeholder in it ('/boot/Image-&lt;release&gt;') may run bare (/boot/Image-6.1.0):
    /// the quoter only quotes what needs it, so its quotes are optional.
    /// </summary>
    private static string Literal(string text, bool quoted)
    {
        var pattern = new StringBuilder();
        var last = 0;
        foreach (Match hole in (quoted ? QuotedPlaceholder() : Placeholder()).Matches(text))
        {
            pattern.Append(Regex.Escape(text[last..hole.Index]));
            pattern.Append(hole.Groups["word"].Success ? $"'?{Literal(hole.Groups["word"].Value, quoted: false)}'?" : "(?s:.*)");
            last = hole.Index + hole.Length;
        }
        return pattern.Append(Regex.Escape(text[last..])).ToString();
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT[\d:.]+[+-]\d\d:\d\d \w+ (?<text>.*)$")]
    private static partial Regex RunLogEntry();

    // <each record>, <kernel cache dir>: a name in angle brackets that starts with a letter (not "<&3" or "< file").
    [GeneratedRegex(@"<[A-Za-z][^<>\n]*>|…")]
    private static partial Regex Placeholder();

    // A single-quoted word holding a placeholder, or a placeholder.
    [GeneratedRegex(@"'(?<word>[^'\n]*(?:<[A-Za-z][^<>\n']*>|…)[^'\n]*)'|<[A-Za-z][^<>\n]*>|…")]
    private static partial Regex QuotedPlaceholder();

    [GeneratedRegex(@"\s+#\s.*$")]
    private static partial Regex Comment();
}
