namespace KernelSoak.Boot;

/// <summary>One label as U-Boot's parser builds it, with where its block starts and ends in the text.</summary>
internal sealed class PxeLabel(string rawName, int line, int start)
{
    /// <summary>The name exactly as U-Boot compares it: everything after the blanks up to the newline (a CRLF file's '\r' included).</summary>
    public string RawName { get; } = rawName;
    public int Line { get; } = line;
    public int Start { get; } = start;
    /// <summary>Where U-Boot stopped reading this label: the start of the first token it does not take (the text's length at the end).</summary>
    public int End { get; set; }
    public string? Kernel { get; set; }
    public string? Initrd { get; set; }
    public string? Fdt { get; set; }
    public string? FdtDir { get; set; }
    public string? Append { get; set; }
    public string? FdtOverlays { get; set; }
    public int AppendLine { get; set; }
    public string? MenuLabel { get; set; }
    public bool MenuDefault { get; set; }
    public bool LocalBoot { get; set; }
}

/// <summary>A top-level <c>default</c> or <c>ontimeout</c>: U-Boot keeps the last one (both write the same slot).</summary>
internal sealed record PxeDefault(string Keyword, string RawValue, int Line, int ValueStart);

/// <summary>
/// extlinux.conf read the way U-Boot's boot/pxe_utils.c reads it (parse_pxefile_top, parse_label,
/// parse_label_menu, get_token), token by token, so that what KernelSoak believes the board boots is
/// what it boots:
/// <list type="bullet">
/// <item>keywords are case-insensitive, values run to the end of the line byte for byte (a '\r' included);</item>
/// <item>a label block ends at the first token parse_label does not handle — a top-level keyword
///   (<c>default</c>, <c>timeout</c>, <c>label</c>…), an unknown word, a blank CRLF line, or the value of a
///   second <c>initrd</c>/<c>fdt</c>/<c>fdtdir</c> (those keep the first and leave the value unread);</item>
/// <item><c>default</c> and <c>ontimeout</c> at the top level overwrite the default, the last one wins;
///   a label's <c>menu default</c> sets it only when nothing has yet;</item>
/// <item>the default boots the last label of that name; none, or a name no label has: the first label;</item>
/// <item>any top-level <c>menu</c> line turns the prompt on, a later <c>prompt N</c> sets it again.</item>
/// </list>
/// Where U-Boot fails the whole file (a keyword without its value) this throws, naming the line.
/// </summary>
internal sealed class PxeReading
{
    private enum T { Eol, Eof, Str, Menu, Title, Timeout, Label, Kernel, Linux, Append, Initrd, LocalBoot, Default, Prompt, Include, Fdt, FdtDir, FdtOverlays, OnTimeout, IpAppend, Background, KaslrSeed, Fallback }

    private static readonly Dictionary<string, T> Keywords = new(StringComparer.Ordinal)
    {
        ["menu"] = T.Menu, ["title"] = T.Title, ["timeout"] = T.Timeout, ["default"] = T.Default, ["prompt"] = T.Prompt,
        ["label"] = T.Label, ["kernel"] = T.Kernel, ["linux"] = T.Linux, ["localboot"] = T.LocalBoot, ["append"] = T.Append,
        ["initrd"] = T.Initrd, ["include"] = T.Include, ["devicetree"] = T.Fdt, ["fdt"] = T.Fdt, ["devicetreedir"] = T.FdtDir,
        ["fdtdir"] = T.FdtDir, ["fdtoverlays"] = T.FdtOverlays, ["devicetree-overlay"] = T.FdtOverlays, ["ontimeout"] = T.OnTimeout,
        ["ipappend"] = T.IpAppend, ["background"] = T.Background, ["kaslrseed"] = T.KaslrSeed, ["fallback"] = T.Fallback,
    };

    /// <summary>Keywords only a label takes: at the top level U-Boot ignores them.</summary>
    private static readonly HashSet<T> LabelOnly = [T.Kernel, T.Linux, T.Append, T.Initrd, T.Fdt, T.FdtDir, T.FdtOverlays, T.LocalBoot, T.IpAppend, T.KaslrSeed];

    private readonly record struct Token(T Type, string Value, int Start);

    private readonly string _text;
    private readonly int[] _lineStarts;
    private int _p;

    public List<PxeLabel> Labels { get; } = [];
    public List<PxeDefault> Defaults { get; } = [];
    /// <summary>The default as U-Boot ends up with it (raw), and the line that set it.</summary>
    public string? DefaultRaw { get; private set; }
    public int DefaultLine { get; private set; }
    public string DefaultKeyword { get; private set; } = "";
    public int Timeout { get; private set; }
    public bool TimeoutSet { get; private set; }
    public int Prompt { get; private set; }
    public string? Title { get; private set; }
    public List<int> Includes { get; } = [];
    /// <summary>Label keywords U-Boot met outside any label (and ignored), with the label whose block had ended before them.</summary>
    public List<(int Line, string Keyword, PxeLabel? After)> Orphans { get; } = [];

    public PxeReading(string text)
    {
        _text = text;
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n') starts.Add(i + 1);
        _lineStarts = [.. starts];
        ParseTop();
    }

    /// <summary>1-based line of a position.</summary>
    public int LineOf(int position)
    {
        var i = Array.BinarySearch(_lineStarts, position);
        return (i >= 0 ? i : ~i - 1) + 1;
    }

    /// <summary>The 0-based line a label block ends before (blank and comment lines in front of what follows are not the block's).</summary>
    public int EndLineIndex(PxeLabel label)
    {
        var line = LineOf(label.End) - 1;
        var lineStart = _lineStarts[Math.Min(line, _lineStarts.Length - 1)];
        // The token that ended the block sits mid-line (the unread value of a second initrd): that line is the block's.
        var end = label.End >= _text.Length ? _lineStarts.Length - (_text.EndsWith('\n') ? 1 : 0)
            : _text.AsSpan(lineStart, label.End - lineStart).Trim(" \t").Length > 0 ? line + 1 : line;
        while (end > label.Line && LineText(end - 1).Trim() is var t && (t.Length == 0 || t.StartsWith('#'))) end--;
        return end;
    }

    public int LineStart(int index) => _lineStarts[index];

    private string LineText(int index) =>
        _text[_lineStarts[index]..(index + 1 < _lineStarts.Length ? _lineStarts[index + 1] : _text.Length)];

    private ExtlinuxException Error(int at, string message) => new($"line {LineOf(at)}: {message}");

    // get_token(): blanks, a comment to the end of the line, then EOL/EOF, or a literal to the end of the line,
    // or a keyword to the next whitespace (lower-cased, a known one typed).
    private Token Next(bool literal)
    {
        var c = _p;
        while (c < _text.Length && _text[c] is ' ' or '\t') c++;
        if (c < _text.Length && _text[c] == '#')
            while (c < _text.Length && _text[c] != '\n') c++;
        Token t;
        if (c < _text.Length && _text[c] == '\n') { t = new(T.Eol, "", c); c++; }
        else if (c >= _text.Length || _text[c] == '\0') t = new(T.Eof, "", c);
        else
        {
            var start = c;
            if (literal) while (c < _text.Length && _text[c] is not ('\n' or '\0')) c++;
            else while (c < _text.Length && _text[c] is not (' ' or '\t' or '\n' or '\v' or '\f' or '\r' or '\0')) c++;
            var value = _text[start..c];
            t = literal ? new(T.Str, value, start)
                : new(Keywords.TryGetValue(value.ToLowerInvariant(), out var k) ? k : T.Str, value.ToLowerInvariant(), start);
        }
        _p = c;
        return t;
    }

    private void ToEndOfLine()
    {
        while (_p < _text.Length && _text[_p] is not ('\n' or '\0')) _p++;
    }

    /// <summary>parse_sliteral: the rest of the line; U-Boot fails the whole file when there is none.</summary>
    private string Literal(Token keyword, string what) => LiteralToken(keyword, what).Value;

    private Token LiteralToken(Token keyword, string what)
    {
        var t = Next(literal: true);
        return t.Type == T.Str ? t : throw Error(keyword.Start, $"'{keyword.Value}' without {what}");
    }

    /// <summary>parse_integer: simple_strtol of the literal (U-Boot reads "soon" as 0; we refuse it).</summary>
    private int Integer(Token keyword, string what)
    {
        var value = Literal(keyword, what);
        return int.TryParse(value.Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n
            : throw Error(keyword.Start, $"{keyword.Value} '{value.Trim()}' is not a number{(keyword.Type == T.Timeout ? " (tenths of a second)" : "")}");
    }

    private void ParseTop()
    {
        PxeLabel? previous = null;
        while (true)
        {
            var t = Next(literal: false);
            switch (t.Type)
            {
                case T.Menu:
                    Prompt = 1;
                    ParseMenu();
                    break;
                case T.Timeout:
                    Timeout = Integer(t, "a number");
                    TimeoutSet = true;
                    break;
                case T.Label:
                    previous = ParseLabel(t);
                    break;
                case T.Default or T.OnTimeout:
                    var value = LiteralToken(t, "a label name");
                    Defaults.Add(new PxeDefault(t.Value, value.Value, LineOf(t.Start), value.Start));
                    (DefaultRaw, DefaultLine, DefaultKeyword) = (value.Value, LineOf(t.Start), t.Value);
                    break;
                case T.Fallback:
                    Literal(t, "a label name");
                    break;
                case T.Include:
                    Includes.Add(LineOf(t.Start));
                    Literal(t, "a file name");
                    break;
                case T.Prompt:
                    var p = Next(literal: true);
                    if (p.Type == T.Str) Prompt = int.TryParse(p.Value.Trim(), out var n) ? n : 0;
                    else ToEndOfLine();
                    break;
                case T.Eol:
                    break;
                case T.Eof:
                    return;
                default:
                    if (LabelOnly.Contains(t.Type)) Orphans.Add((LineOf(t.Start), t.Value, previous));
                    ToEndOfLine(); // "Ignoring unknown command"
                    break;
            }
        }
    }

    // parse_menu at the top level: title, include, background; anything else is ignored — with the rest of the line.
    private void ParseMenu()
    {
        var t = Next(literal: false);
        switch (t.Type)
        {
            case T.Title: Title = Literal(t, "a title"); break;
            case T.Include: Includes.Add(LineOf(t.Start)); Literal(t, "a file name"); break;
            case T.Background: Literal(t, "a file name"); break;
        }
        ToEndOfLine();
    }

    private PxeLabel ParseLabel(Token keyword)
    {
        var name = Literal(keyword, "a name");
        var label = new PxeLabel(name, LineOf(keyword.Start), keyword.Start);
        Labels.Add(label);
        while (true)
        {
            var s = _p;
            var t = Next(literal: false);
            switch (t.Type)
            {
                case T.Menu:
                    ParseLabelMenu(label);
                    break;
                case T.Kernel or T.Linux:
                    label.Kernel = Literal(t, "a path");
                    break;
                case T.Append:
                    label.Append = Literal(t, "a command line");
                    label.AppendLine = LineOf(t.Start);
                    if (label.Initrd is null && label.Append.IndexOf("initrd=", StringComparison.Ordinal) is >= 0 and var i)
                        label.Initrd = label.Append[(i + 7)..].Split(' ')[0];
                    break;
                // The first one counts; a second is not read at all, and its value then ends the label.
                case T.Initrd: if (label.Initrd is null) label.Initrd = Literal(t, "a path"); break;
                case T.Fdt: if (label.Fdt is null) label.Fdt = Literal(t, "a path"); break;
                case T.FdtDir: if (label.FdtDir is null) label.FdtDir = Literal(t, "a path"); break;
                case T.FdtOverlays: if (label.FdtOverlays is null) label.FdtOverlays = Literal(t, "a path"); break;
                case T.LocalBoot:
                    label.LocalBoot = true;
                    Integer(t, "a number");
                    break;
                case T.IpAppend:
                    Integer(t, "a number");
                    break;
                case T.KaslrSeed or T.Eol:
                    break;
                default:
                    _p = s; // put the token back: the label ends, the top level reads it
                    label.End = s;
                    return label;
            }
        }
    }

    // parse_label_menu: "menu default" claims the default only when nothing has; "menu label" names the entry.
    private void ParseLabelMenu(PxeLabel label)
    {
        var t = Next(literal: false);
        if (t.Type == T.Default)
        {
            label.MenuDefault = true;
            if (DefaultRaw is null) (DefaultRaw, DefaultLine, DefaultKeyword) = (label.RawName, LineOf(t.Start), "menu default");
        }
        else if (t.Type == T.Label)
        {
            var value = Next(literal: true); // U-Boot ignores a missing value here (and the line after it goes too)
            if (value.Type == T.Str) label.MenuLabel = value.Value;
        }
        ToEndOfLine();
    }

    /// <summary>The label U-Boot boots without input: the last one named by the default, else the first.</summary>
    public PxeLabel? Booted =>
        (DefaultRaw is null ? null : Labels.LastOrDefault(l => l.RawName == DefaultRaw)) ?? Labels.FirstOrDefault();
}
