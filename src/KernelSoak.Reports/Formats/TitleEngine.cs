using System.Text.RegularExpressions;

namespace KernelSoak.Reports.Formats;

/// <summary>What a report is called: syzkaller's title, other acceptable titles, the guilty frame, and
/// why the report cannot be trusted (null when it can).</summary>
public sealed record ReportName(string Title, IReadOnlyList<string> AltTitles, string? Frame, string? Corrupted, ReportFormat? Format);

/// <summary>
/// Names a report from its text by the formats of its kind: the format whose title pattern matches
/// earliest in the text wins; its groups and the guilty frame(s) its stack rule finds fill the template.
/// A stack rule that finds no frame names the frame "corrupted", and the report is flagged as such.
/// </summary>
public static partial class TitleEngine
{
    private static readonly Dictionary<StackRule, SkipList> SkipLists = new(ReferenceEqualityComparer.Instance);

    public static ReportName Name(ReportKind kind, string text)
    {
        var start = int.MaxValue;
        string? title = null, corrupted = null;
        var alts = new List<string>();
        ReportFormat? chosen = null;
        var matchedTitle = false;
        foreach (var format in kind.Formats)
        {
            var m = format.TitleRegex.Match(text);
            if (!m.Success || m.Index > start || (m.Index == start && title is not null)) continue;
            if (m.Index < start) (title, chosen, start) = (null, null, m.Index);
            matchedTitle = true;
            if (format.ReportRegex is { } report && (m = report.Match(text)) is { Success: false }) continue;
            var args = new List<object>();
            for (var g = 1; g < m.Groups.Count; g++) args.Add(m.Groups[g].Value);
            corrupted = null;
            var frames = new List<(string Canonical, string Raw)>();
            if (format.Stack is { } stack)
            {
                var found = ExtractFrames(stack, text.AsSpan(m.Index), out var ok);
                frames = found;
                if (!ok) corrupted = "no frames in the stack trace";
            }
            var canonical = args.Concat(frames.Select(f => (object)f.Canonical)).ToArray();
            title = Format(format.Template, canonical);
            alts = [.. format.Alt.Select(a => Format(a, canonical))];
            // The raw frames (syscall prefixes kept) name the same bug: acceptable titles too.
            if (frames.Count > 0)
            {
                var raw = args.Concat(frames.Select(f => (object)f.Raw)).ToArray();
                alts.Add(Format(format.Template, raw));
                alts.AddRange(format.Alt.Select(a => Format(a, raw)));
            }
            chosen = format;
        }
        if (title is null)
        {
            if (matchedTitle) corrupted = "the title matched but the report pattern did not";
            var at = text.IndexOf(kind.Header, StringComparison.Ordinal);
            var end = at < 0 ? -1 : text.IndexOf('\n', at);
            title = at < 0 ? text : end < 0 ? text[at..] : text[at..end];
        }
        if (corrupted is null && chosen is { Corrupted: true }) corrupted = "the report's header was lost";
        corrupted ??= Corruption(title, text, chosen);
        var clean = TitleCleaner.Clean(title);
        var cleanAlts = alts.Select(TitleCleaner.Clean).Where(a => a != clean).Distinct().ToList();
        return new ReportName(clean, cleanAlts, FrameOf(clean), corrupted, chosen);
    }

    /// <summary>The guilty frame as a title states it: the function after its last " in ".</summary>
    public static string? FrameOf(string title) => TitleFrame().Match(title) is { Success: true } m ? m.Groups[1].Value : null;

    private static string Format(string template, object[] args)
    {
        // Fewer values than the template names (a group that did not take part): the slot stays empty.
        var padded = args.Length >= 8 ? args : [.. args, .. Enumerable.Repeat((object)"", 8 - args.Length)];
        return string.Format(System.Globalization.CultureInfo.InvariantCulture, template, padded);
    }

    private static List<(string Canonical, string Raw)> ExtractFrames(StackRule rule, ReadOnlySpan<char> text, out bool ok)
    {
        SkipList? skip;
        lock (SkipLists)
            if (!SkipLists.TryGetValue(rule, out skip))
                SkipLists[rule] = skip = new SkipList(StackRules.Skip.Concat(rule.Skip ?? []));
        var result = StackWalk.Walk(rule.Parts, text, skip, rule.Choice, out ok);
        if (!ok && rule.Parts2 is { } second) result = StackWalk.Walk(second, text, skip, rule.Choice, out ok);
        return result;
    }

    /// <summary>Whether a frame is never guilty; remembered per function (a log repeats its functions, and the list is ~250 patterns).</summary>
    internal sealed class SkipList(IEnumerable<string> patterns)
    {
        private readonly Regex _patterns = new(string.Join('|', patterns), RegexOptions.CultureInvariant);
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _known = new(StringComparer.Ordinal);

        public bool Skips(string frame)
        {
            if (_known.TryGetValue(frame, out var skip)) return skip;
            skip = _patterns.IsMatch(frame);
            if (_known.Count < 100_000) _known[frame] = skip;
            return skip;
        }
    }

    /// <summary>
    /// Why a named report is not trusted: a timestamp inside the title (two lines merged), or a format
    /// that prints stacks whose report has none, or a stack heading with no frame under it.
    /// </summary>
    private static string? Corruption(string title, string text, ReportFormat? format)
    {
        if (TimestampInTitle().IsMatch(title)) return "a timestamp inside the title";
        if (format is null || format.NoStackTrace) return null;
        var hasStack = false;
        foreach (var start in StackRules.StackStarts)
        {
            var m = start.Match(text);
            if (!m.Success) continue;
            var lines = FirstLines(text, m.Index, 17);
            if (lines.Count < 4) return "the call trace is cut";
            var framed = false;
            for (var i = 1; i < 16 && i < lines.Count; i++)
            {
                if (StackRules.IsStackStart(lines[i])) break;
                if (lines[i].Contains("(stack is not available)", StringComparison.Ordinal) || StackRules.FrameLines.Any(f => f.IsMatch(lines[i])))
                {
                    (hasStack, framed) = (true, true);
                    break;
                }
            }
            if (!framed && !start.ToString().StartsWith("status:", StringComparison.Ordinal)) return "no frames in a stack trace";
        }
        return hasStack ? null : "no stack trace in the report";
    }

    private static List<string> FirstLines(string text, int from, int count)
    {
        var lines = new List<string>(count);
        while (lines.Count < count)
        {
            var end = text.IndexOf('\n', from);
            lines.Add(end < 0 ? text[from..] : text[from..end]);
            if (end < 0) break;
            from = end + 1;
        }
        return lines;
    }

    [GeneratedRegex(@"\[ *[0-9]+\.[0-9]+\]")] private static partial Regex TimestampInTitle();
    [GeneratedRegex(@".* in ((?:<[a-zA-Z0-9_: ]+>)?[a-zA-Z0-9_:]+)")] private static partial Regex TitleFrame();
}
