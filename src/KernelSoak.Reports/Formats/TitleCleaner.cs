using System.Text;
using System.Text.RegularExpressions;

namespace KernelSoak.Reports.Formats;

/// <summary>
/// Takes out of a title what differs between two reports of one bug (syzkaller's rules, so titles compare
/// with syzbot's): addresses → ADDR, numbers → NUM, "f+0x1/0x2" → f, executor pids, IPs, line numbers;
/// control characters go, runs of spaces become one, and a title stops at 120 characters.
/// </summary>
public static partial class TitleCleaner
{
    private static readonly (Regex Match, string Replacement)[] Replacements =
    [
        (Executor(), "syz-executor"),
        (Syzkaller(), "syzkaller"),
        (Address(), "${1}ADDR"),
        (Ip(), "IP"),
        (SourceLine(), "${1}:LINE"),
        (FunctionOffset(), "${1}"),
        (CpuNumber(), "CPU"),
        (Number(), "${1}NUM${3}"),
        (LongNumber(), "NUM"),
    ];

    public static string Clean(string title)
    {
        foreach (var (match, replacement) in Replacements)
        {
            // Until nothing changes: matches can overlap ("0,1,2").
            for (var next = match.Replace(title, replacement); next != title; next = match.Replace(title, replacement)) title = next;
        }
        var result = new StringBuilder(Math.Min(title.Length, 120));
        var previous = ' ';
        for (var i = 0; i < title.Length && i < 120; i++)
        {
            var c = title[i] == '\t' ? ' ' : title[i];
            if (c < 0x20 || c >= 0x7f || (c == ' ' && previous == ' ')) continue;
            result.Append(c);
            previous = c;
        }
        return result.ToString().Trim();
    }

    [GeneratedRegex(@"syz-executor\.?[0-9]+((/|:)[0-9]+)?")] private static partial Regex Executor();
    [GeneratedRegex(@"syzkaller[0-9]+((/|:)[0-9]+)?")] private static partial Regex Syzkaller();
    [GeneratedRegex(@"([^a-zA-Z0-9])(?:0x)?[0-9a-f]{6,}")] private static partial Regex Address();
    [GeneratedRegex(@"([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3})")] private static partial Regex Ip();
    [GeneratedRegex(@"(\.\w+)(:[0-9]+)+")] private static partial Regex SourceLine();
    [GeneratedRegex(@"([a-zA-Z][a-zA-Z0-9_.]+)\+0x[0-9a-z]+/0x[0-9a-z]+")] private static partial Regex FunctionOffset();
    [GeneratedRegex(@"CPU#[0-9]+")] private static partial Regex CpuNumber();
    [GeneratedRegex(@"(\W)(\d+)(\W|$)")] private static partial Regex Number();
    [GeneratedRegex(@"(\d+){7,}")] private static partial Regex LongNumber();
}
