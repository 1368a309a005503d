using System.Text.RegularExpressions;

namespace KernelSoak.Reports.Formats;

/// <summary>
/// Steps through a report's lines part by part (<see cref="StackRule.Parts"/>): a plain part advances to
/// the first line it matches and takes the frame it captures; <see cref="Pattern.ParseStack"/> takes every
/// frame line up to the next stack's start (or the next part's line). Each stack read gives one guilty frame.
/// </summary>
internal static class StackWalk
{
    private static readonly Dictionary<string, Regex> Parts = new(StringComparer.Ordinal);

    private static Regex Part(string pattern)
    {
        lock (Parts)
            return Parts.TryGetValue(pattern, out var re) ? re : Parts[pattern] = Pattern.Compile(pattern);
    }

    public static List<(string Canonical, string Raw)> Walk(IReadOnlyList<string> parts, ReadOnlySpan<char> text, TitleEngine.SkipList skip, FrameChoice choice, out bool ok)
    {
        var results = new List<(string, string)>();
        var frames = new List<string>();
        ok = true;
        var stacks = 0;
        var lines = text.ToString().Split('\n');
        var at = 0;
        bool NextLine(out string line)
        {
            if (at >= lines.Length)
            {
                line = "";
                return false;
            }
            line = lines[at++];
            return true;
        }
        for (var i = 0; ; i++)
        {
            if (i == parts.Count || (parts[i] == Pattern.ParseStack && stacks > 0))
            {
                if (Choose(frames, choice) is { } key) results.Add(key);
                else
                {
                    results.Add(("corrupted", "corrupted"));
                    ok = false;
                }
                frames.Clear();
            }
            if (i == parts.Count) break;
            if (parts[i] == Pattern.ParseStack)
            {
                stacks++;
                while (NextLine(out var line))
                {
                    if (StackRules.IsCorruptedLine(line))
                    {
                        ok = false;
                        break;
                    }
                    if (StackRules.IsStackStart(line)) break;
                    if (i != parts.Count - 1 && Part(parts[i + 1]) is var next && next.Match(line) is { Success: true } nm)
                    {
                        Append(frames, nm, skip);
                        i++;
                        break;
                    }
                    foreach (var frameLine in StackRules.FrameLines)
                        if (frameLine.Match(line) is { Success: true } fm)
                        {
                            Append(frames, fm, skip);
                            break;
                        }
                }
            }
            else
            {
                var re = Part(parts[i]);
                while (NextLine(out var line))
                {
                    if (StackRules.IsCorruptedLine(line))
                    {
                        ok = false;
                        break;
                    }
                    if (re.Match(line) is not { Success: true } m) continue;
                    Append(frames, m, skip);
                    break;
                }
            }
        }
        return results;
    }

    private static (string, string)? Choose(List<string> raw, FrameChoice choice)
    {
        if (raw.Count == 0) return null;
        var stripped = raw.Select(StackRules.Strip).ToList();
        if (FrameChoices.Choose(choice, stripped) is not var (frame, index)) return null;
        return (frame, raw[index]);
    }

    private static void Append(List<string> frames, Match m, TitleEngine.SkipList skip)
    {
        for (var g = 1; g < m.Groups.Count; g++)
        {
            if (!m.Groups[g].Success) continue;
            var frame = m.Groups[g].Value;
            if (!skip.Skips(frame)) frames.Add(frame);
        }
    }

}
