namespace KernelSoak.Boot;

/// <summary>A U-Boot extlinux.conf that cannot be used, with its line.</summary>
public sealed class ExtlinuxException(string message) : Exception(message);

/// <summary>One label block: its name and the keywords U-Boot's pxe_utils reads (values without a CRLF file's '\r').</summary>
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
/// extlinux.conf as U-Boot reads it (<see cref="PxeReading"/>), kept line by line so an untouched file
/// renders byte for byte; edits (add or replace a label, set the default) touch only the lines they must.
/// </summary>
public sealed class ExtlinuxConfig
{
    /// <summary>Put above a <c>default</c> line KernelSoak had to add (the file had none): the restore takes both away again.</summary>
    public const string FlipMarker = "# KernelSoak: temporary default for one test boot (boot_selection = flip-default); removed when the default is restored";

    private readonly List<string> _lines;   // each with its own line ending
    private readonly PxeReading _reading;

    private ExtlinuxConfig(List<string> lines)
    {
        _lines = lines;
        _reading = new PxeReading(string.Concat(lines));
        Check();
    }

    public static ExtlinuxConfig Parse(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n') { lines.Add(text[start..(i + 1)]); start = i + 1; }
        if (start < text.Length) lines.Add(text[start..]);
        return new ExtlinuxConfig(lines);
    }

    public string Render() => string.Concat(_lines);

    /// <summary>The default label name U-Boot ends up with (last top-level default/ontimeout, else the first "menu default").</summary>
    public string? Default => _reading.DefaultRaw is { } d ? Clean(d) : null;
    public int? Timeout => _reading.TimeoutSet ? _reading.Timeout : null;
    public bool Prompt => _reading.Prompt != 0;
    public string? MenuTitle => _reading.Title is { } t ? Clean(t) : null;

    public IReadOnlyList<ExtlinuxLabel> Labels => _reading.Labels.Select(l => new ExtlinuxLabel(Clean(l.RawName))
    {
        Line = l.Line,
        Kernel = Cleaned(l.Kernel),
        Initrd = Cleaned(l.Initrd),
        Fdt = Cleaned(l.Fdt),
        FdtDir = Cleaned(l.FdtDir),
        Append = Cleaned(l.Append),
        MenuLabel = Cleaned(l.MenuLabel),
        MenuDefault = l.MenuDefault,
    }).ToList();

    /// <summary>The label U-Boot boots without input: the last one the default names; no default, or one naming no label: the first.</summary>
    public ExtlinuxLabel? DefaultLabel => _reading.Booted is { } b ? Labels[_reading.Labels.IndexOf(b)] : null;

    /// <summary>U-Boot's menu number of <see cref="DefaultLabel"/> (what a person types at its prompt).</summary>
    public int DefaultMenuNumber => _reading.Booted is { } b ? _reading.Labels.IndexOf(b) + 1 : 0;

    /// <summary>Why U-Boot boots <see cref="DefaultLabel"/>, for messages: the line that decided it.</summary>
    public string DefaultReason => _reading.DefaultRaw is null ? "no default: the first label"
        : DefaultNamesNoLabel ? $"'{_reading.DefaultKeyword} {Default}' on line {_reading.DefaultLine} names no label: the first label"
        : $"'{_reading.DefaultKeyword}' on line {_reading.DefaultLine}";

    /// <summary>A default is set but names no label (U-Boot then boots the first).</summary>
    public bool DefaultNamesNoLabel => _reading.DefaultRaw is { } d && _reading.Labels.All(l => l.RawName != d);

    /// <summary>Refuses configs that strand a headless board or that U-Boot reads otherwise than they look.</summary>
    public void Validate()
    {
        CheckIntact();
        if (DefaultNamesNoLabel)
        {
            var near = _reading.Labels.FirstOrDefault(l => Clean(l.RawName) == Default);
            throw new ExtlinuxException(near is not null
                ? $"'{_reading.DefaultKeyword} {Default}' (line {_reading.DefaultLine}) differs from label {Default} (line {near.Line}) in trailing spaces or a CR: U-Boot compares them byte for byte and would boot the first label"
                : $"'{_reading.DefaultKeyword} {Default}' (line {_reading.DefaultLine}) names no label (U-Boot would silently boot the first one): labels are {string.Join(", ", Labels.Select(l => l.Name))}");
        }
        if (Prompt && _reading.Timeout <= 0)
            throw new ExtlinuxException("a menu or prompt without 'timeout' waits for a key forever: a headless board hangs");
        if (_reading.Includes.Count > 0)
            throw new ExtlinuxException($"line {_reading.Includes[0]}: 'include' reads another file, whose labels and default KernelSoak cannot see: inline it");
        foreach (var label in _reading.Labels.Where(l => Clean(l.Append ?? "").EndsWith('\\')))
            throw new ExtlinuxException($"label {Clean(label.RawName)}: its append (line {label.AppendLine}) ends with '\\', but extlinux.conf has no continuation lines: U-Boot ends the label there and boots without the rest");
    }

    /// <summary>
    /// Refuses a file that is damaged rather than merely shaped otherwise (empty, cut short, binary): no label
    /// at all, or a label without a kernel. Checked on every read of the board's file, before any decision.
    /// </summary>
    public void CheckIntact()
    {
        if (_reading.Labels.Count == 0) throw new ExtlinuxException("no label: U-Boot would have nothing to boot (is the file empty, cut short or not text?)");
        foreach (var label in _reading.Labels.Where(l => l.Kernel is null && !l.LocalBoot))
            throw new ExtlinuxException($"label {Clean(label.RawName)} (line {label.Line}) has no kernel");
    }

    /// <summary>Adds the label, or replaces the block(s) of the label with that name, in the file's own indentation.</summary>
    public ExtlinuxConfig WithLabel(ExtlinuxLabel label)
    {
        if (label.Name.Any(char.IsControl) || label.Name.Trim() != label.Name || label.Name.Length == 0)
            throw new ExtlinuxException($"label name '{label.Name}' holds control characters or surrounding spaces: it would not read back as written");
        var first = _reading.Labels.FirstOrDefault();
        var indent = first is not null && first.Line < _lines.Count && IndentOf(_lines[first.Line]) is { Length: > 0 } i ? i : "    ";
        var newline = Newline;
        var block = new List<string> { $"label {label.Name}{newline}" };
        void Add(string keyword, string? value) { if (value is not null) block.Add($"{indent}{keyword} {value}{newline}"); }
        Add("menu label", label.MenuLabel);
        Add("kernel", label.Kernel);
        Add("initrd", label.Initrd);
        Add("fdt", label.Fdt);
        Add("fdtdir", label.FdtDir);
        Add("append", label.Append);
        var lines = new List<string>(_lines);
        var blocks = Blocks(label.Name);
        if (blocks.Count > 0)
        {
            foreach (var (from, to) in blocks.Skip(1).Reverse()) lines.RemoveRange(from, to - from);
            lines.RemoveRange(blocks[0].From, blocks[0].To - blocks[0].From);
            lines.InsertRange(blocks[0].From, block);
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
        var blocks = Blocks(name);
        if (blocks.Count == 0) return this;
        var lines = new List<string>(_lines);
        foreach (var (from, to) in Enumerable.Reverse(blocks)) lines.RemoveRange(from, to - from);
        return new ExtlinuxConfig(lines);
    }

    /// <summary>
    /// Makes U-Boot boot <paramref name="labelName"/> without input, changing as little as it can: nothing
    /// when it already does; the winning top-level <c>default</c>/<c>ontimeout</c> gets the new name (so a
    /// flip and its restore give the file back byte for byte); a <c>default</c> KernelSoak added is taken
    /// away again when the file boots the label without it; only a file with none gets one, marked, before
    /// its first label (so it outranks any <c>menu default</c>). The result is read again and checked.
    /// </summary>
    public ExtlinuxConfig WithDefault(string labelName)
    {
        var target = _reading.Labels.LastOrDefault(l => Clean(l.RawName) == labelName)
            ?? throw new ExtlinuxException($"cannot make '{labelName}' the default: no such label");
        if (DefaultLabel?.Name == labelName && !DefaultNamesNoLabel) return this;
        var lines = new List<string>(_lines);
        var winning = _reading.Defaults.LastOrDefault();
        if (winning is not null && winning.Line >= 2 && lines[winning.Line - 2].TrimEnd() == FlipMarker)
        {
            var without = new List<string>(lines);
            without.RemoveRange(winning.Line - 2, 2);
            if (new ExtlinuxConfig(without) is var plain && plain.DefaultLabel?.Name == labelName && !plain.DefaultNamesNoLabel) return plain;
        }
        var value = target.RawName.EndsWith('\r') ? target.RawName + "\n" : target.RawName + Newline;
        if (winning is not null)
        {
            var index = winning.Line - 1;
            var offset = winning.ValueStart - _reading.LineStart(index);
            lines[index] = lines[index][..offset] + (lines[index].EndsWith('\n') ? value : value.TrimEnd('\n'));
        }
        else
        {
            var at = _reading.Labels[0].Line - 1;
            while (at > 0 && lines[at - 1].Trim() is var t && (t.Length == 0 || t.StartsWith('#'))) at--;
            lines.InsertRange(at, [FlipMarker + Newline, "default " + value]);
        }
        var updated = new ExtlinuxConfig(lines);
        if (updated.DefaultLabel?.Name != labelName || updated.DefaultNamesNoLabel)
            throw new ExtlinuxException($"making '{labelName}' the default did not take: U-Boot would boot {updated.DefaultLabel?.Name} ({updated.DefaultReason})");
        return updated;
    }

    private string Newline => _lines.FirstOrDefault()?.EndsWith("\r\n", StringComparison.Ordinal) == true ? "\r\n" : "\n";

    /// <summary>The 0-based line ranges of every block of labels with that name.</summary>
    private List<(int From, int To)> Blocks(string name) =>
        _reading.Labels.Where(l => Clean(l.RawName) == name).Select(l => (l.Line - 1, _reading.EndLineIndex(l))).ToList();

    private static string IndentOf(string line) => line[..(line.Length - line.TrimStart(' ', '\t').Length)];

    private static string Clean(string raw) => raw.TrimEnd(' ', '\t', '\r');
    private static string? Cleaned(string? raw) => raw is null ? null : Clean(raw);

    /// <summary>What U-Boot would fail on is thrown while reading; here what it silently ignores and we refuse.</summary>
    private void Check()
    {
        foreach (var (line, keyword, after) in _reading.Orphans)
            throw new ExtlinuxException(after is null ? $"line {line}: '{keyword}' outside any label"
                : $"line {line}: '{keyword}' outside any label: U-Boot ended label {Clean(after.RawName)} at line {_reading.LineOf(after.End)} and ignores it");
    }
}
