using System.Text;
using System.Text.RegularExpressions;

namespace KernelSoak.Boot;

/// <summary>A U-Boot extlinux.conf that cannot be used, with its line.</summary>
public sealed class ExtlinuxException(string message) : Exception(message);

/// <summary>One label block: its name and the keywords U-Boot's pxe_utils reads.</summary>
public sealed record ExtlinuxLabel(string Name)
{
    public string? MenuLabel { get; init; }
    public string? Kernel { get; init; }
    public string? Initrd { get; init; }
    public string? Fdt { get; init; }
    public string? FdtDir { get; init; }
    public string? Append { get; init; }
    public bool MenuDefault { get; init; }
    public int Line { get; init; }
}

/// <summary>
/// extlinux.conf as U-Boot reads it, kept line by line so an untouched file renders byte for byte;
/// edits (add or replace a label, set the default) touch only the lines they must.
/// </summary>
public sealed partial class ExtlinuxConfig
{
    private readonly List<string> _lines;   // each with its own line ending

    private ExtlinuxConfig(List<string> lines) => _lines = lines;

    public static ExtlinuxConfig Parse(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n') { lines.Add(text[start..(i + 1)]); start = i + 1; }
        if (start < text.Length) lines.Add(text[start..]);
        var config = new ExtlinuxConfig(lines);
        config.Check();
        return config;
    }

    public string Render() => string.Concat(_lines);

    public string? Default => Global("default");
    public int? Timeout => int.TryParse(Global("timeout"), out var t) ? t : null;
    public bool Prompt => Global("prompt") is { } p && p != "0";
    public string? MenuTitle => Entries().FirstOrDefault(e => e.Label is null && e.Keyword == "menu" && e.Value.StartsWith("title", StringComparison.Ordinal)).Value?[5..].Trim();

    public IReadOnlyList<ExtlinuxLabel> Labels
    {
        get
        {
            var labels = new List<ExtlinuxLabel>();
            foreach (var group in Entries().Where(e => e.Label is not null).GroupBy(e => e.LabelIndex))
            {
                var head = group.First();
                string? Get(params string[] keys) => group.LastOrDefault(e => keys.Contains(e.Keyword)).Value;
                var menu = group.Where(e => e.Keyword == "menu").Select(e => e.Value).ToList();
                labels.Add(new ExtlinuxLabel(head.Label!)
                {
                    Line = head.Line,
                    Kernel = Get("kernel", "linux"),
                    Initrd = Get("initrd"),
                    Fdt = Get("fdt", "devicetree"),
                    FdtDir = Get("fdtdir", "devicetreedir"),
                    Append = Get("append"),
                    MenuLabel = menu.FirstOrDefault(m => m.StartsWith("label", StringComparison.Ordinal))?[5..].Trim(),
                    MenuDefault = menu.Any(m => m == "default"),
                });
            }
            return labels;
        }
    }

    /// <summary>The label U-Boot boots without input: "menu default", else "default", else the first.</summary>
    public ExtlinuxLabel? DefaultLabel =>
        Labels.FirstOrDefault(l => l.MenuDefault) ?? Labels.FirstOrDefault(l => l.Name == Default) ?? Labels.FirstOrDefault();

    /// <summary>Refuses configs that strand a headless board (U-Boot 2023.01 behaviour, observed).</summary>
    public void Validate()
    {
        if (Labels.Count == 0) throw new ExtlinuxException("no label: U-Boot would have nothing to boot");
        if (Default is { } d && Labels.All(l => l.Name != d))
            throw new ExtlinuxException($"'default {d}' names no label (U-Boot would silently boot the first one): labels are {string.Join(", ", Labels.Select(l => l.Name))}");
        if ((MenuTitle is not null || Prompt) && Timeout is null)
            throw new ExtlinuxException("a menu or prompt without 'timeout' waits for a key forever: a headless board hangs");
        foreach (var label in Labels.Where(l => l.Kernel is null))
            throw new ExtlinuxException($"label {label.Name} (line {label.Line}) has no kernel");
    }

    /// <summary>Adds the label, or replaces the block of the label with that name, in the file's own indentation.</summary>
    public ExtlinuxConfig WithLabel(ExtlinuxLabel label)
    {
        var indent = Entries().FirstOrDefault(e => e.Label is not null && e.Keyword != "label").Indent ?? "    ";
        var newline = _lines.FirstOrDefault()?.EndsWith("\r\n", StringComparison.Ordinal) == true ? "\r\n" : "\n";
        var block = new List<string> { $"label {label.Name}{newline}" };
        void Add(string keyword, string? value) { if (value is not null) block.Add($"{indent}{keyword} {value}{newline}"); }
        Add("menu label", label.MenuLabel);
        Add("kernel", label.Kernel);
        Add("initrd", label.Initrd);
        Add("fdt", label.Fdt);
        Add("fdtdir", label.FdtDir);
        Add("append", label.Append);
        var lines = new List<string>(_lines);
        var existing = Entries().Where(e => e.Label == label.Name).Select(e => e.Index).ToList();
        if (existing.Count > 0)
        {
            var from = existing.Min();
            var to = LabelBlockEnd(from);
            lines.RemoveRange(from, to - from);
            lines.InsertRange(from, block);
        }
        else
        {
            if (lines.Count > 0 && !lines[^1].EndsWith('\n')) lines[^1] += newline;
            lines.AddRange(block);
        }
        return new ExtlinuxConfig(lines);
    }

    public ExtlinuxConfig WithoutLabel(string name)
    {
        var existing = Entries().Where(e => e.Label == name).Select(e => e.Index).ToList();
        if (existing.Count == 0) return this;
        var lines = new List<string>(_lines);
        var from = existing.Min();
        lines.RemoveRange(from, LabelBlockEnd(from) - from);
        return new ExtlinuxConfig(lines);
    }

    public ExtlinuxConfig WithDefault(string labelName)
    {
        if (Labels.All(l => l.Name != labelName)) throw new ExtlinuxException($"cannot make '{labelName}' the default: no such label");
        var lines = new List<string>(_lines);
        var at = Entries().FirstOrDefault(e => e.Label is null && e.Keyword == "default");
        var newline = lines.FirstOrDefault()?.EndsWith("\r\n", StringComparison.Ordinal) == true ? "\r\n" : "\n";
        if (at.Keyword is not null) lines[at.Index] = $"{at.Indent}default {labelName}{newline}";
        else lines.Insert(Entries().First(e => e.Keyword == "label").Index, $"default {labelName}{newline}");
        return new ExtlinuxConfig(lines);
    }

    private int LabelBlockEnd(int from)
    {
        var next = Entries().FirstOrDefault(e => e.Index > from && e.Keyword == "label");
        var end = next.Keyword is null ? _lines.Count : next.Index;
        // Blank lines and comments right before the next label belong to it, not to this block.
        while (end > from + 1 && _lines[end - 1].Trim() is var t && (t.Length == 0 || t.StartsWith('#'))) end--;
        return end;
    }

    private string? Global(string keyword) => Entries().LastOrDefault(e => e.Label is null && e.Keyword == keyword).Value;

    private readonly record struct Entry(int Index, int Line, string Keyword, string Value, string? Label, int LabelIndex, string Indent);

    private IEnumerable<Entry> Entries()
    {
        string? label = null;
        var labelIndex = -1;
        for (var i = 0; i < _lines.Count; i++)
        {
            var m = KeywordLine().Match(_lines[i].TrimEnd('\r', '\n'));
            if (!m.Success) continue;
            var keyword = m.Groups["k"].Value.ToLowerInvariant();
            var value = m.Groups["v"].Value.Trim();
            if (keyword == "label") { label = value; labelIndex = i; }
            yield return new Entry(i, i + 1, keyword, value, label, labelIndex, m.Groups["i"].Value);
        }
    }

    /// <summary>U-Boot ignores keywords it does not know ("ui", "totaltimeout"): so do we, after these checks.</summary>
    private void Check()
    {
        foreach (var e in Entries())
        {
            if (e.Keyword == "label" && e.Value.Length == 0) throw new ExtlinuxException($"line {e.Line}: 'label' without a name");
            if (e.Keyword is "kernel" or "linux" or "initrd" or "append" or "fdt" or "devicetree" or "fdtdir" && e.Label is null)
                throw new ExtlinuxException($"line {e.Line}: '{e.Keyword}' outside any label");
            if (e.Keyword is "kernel" or "linux" or "initrd" or "fdt" or "devicetree" or "fdtdir" && e.Value.Length == 0)
                throw new ExtlinuxException($"line {e.Line}: '{e.Keyword}' without a path");
            if (e.Keyword == "timeout" && !int.TryParse(e.Value, out _))
                throw new ExtlinuxException($"line {e.Line}: timeout '{e.Value}' is not a number (tenths of a second)");
        }
    }

    [GeneratedRegex(@"^(?<i>\s*)(?!#)(?<k>[A-Za-z]+)(?:\s+(?<v>.*))?$")]
    private static partial Regex KeywordLine();
}
