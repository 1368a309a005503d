namespace KernelSoak.Kernel.Kconfig;

/// <summary>One "config X" block of a Kconfig file, with the conditions of the blocks around it.</summary>
public sealed class SymbolDefinition
{
    public required string Name { get; init; }
    public required string File { get; init; }
    public required int Line { get; init; }
    public string Type { get; set; } = "";
    public bool HasPrompt { get; set; }
    /// <summary>Its own "depends on" lines.</summary>
    public List<string> DependsOn { get; } = [];
    /// <summary>The enclosing if/menu/choice conditions, outermost first.</summary>
    public List<string> Inherited { get; init; } = [];
    /// <summary>The prompt of the choice it belongs to, if any.</summary>
    public string? Choice { get; init; }
    /// <summary>"select" lines as written ("X" or "X if COND").</summary>
    public List<string> Selects { get; } = [];

    public IEnumerable<string> AllConditions => Inherited.Concat(DependsOn);
}

/// <summary>
/// The symbols of a kernel tree's Kconfig, enough to say why an option did not stick: type, prompt,
/// "depends on" (own and inherited from if/menu/choice), choice membership and who selects it.
/// </summary>
public sealed class KconfigTree
{
    private readonly Dictionary<string, List<SymbolDefinition>> _symbols = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _selectedBy = new(StringComparer.Ordinal);

    public IReadOnlyList<SymbolDefinition> Definitions(string symbol) => _symbols.GetValueOrDefault(symbol) ?? [];
    /// <summary>Who selects the symbol: "NAME" or "NAME if COND".</summary>
    public IReadOnlyList<string> SelectedBy(string symbol) => _selectedBy.GetValueOrDefault(symbol) ?? [];
    public bool Knows(string symbol) => _symbols.ContainsKey(symbol);
    public int Count => _symbols.Count;

    public static KconfigTree Load(string sourceDir, string srcArch)
    {
        var tree = new KconfigTree();
        new Reader(tree, sourceDir, srcArch).Read("Kconfig", mustExist: true);
        foreach (var def in tree._symbols.Values.SelectMany(d => d))
            foreach (var select in def.Selects)
            {
                // "select X if COND" → X is selected by "NAME if COND"
                var parts = select.Split(" if ", 2, StringSplitOptions.TrimEntries);
                var by = parts.Length == 2 ? $"{def.Name} if {parts[1]}" : def.Name;
                (tree._selectedBy.TryGetValue(parts[0], out var list) ? list : tree._selectedBy[parts[0]] = []).Add(by);
            }
        return tree;
    }

    private sealed class Frame(string kind)
    {
        public string Kind { get; } = kind;
        public List<string> Conditions { get; } = [];
        public string? ChoicePrompt { get; set; }
    }

    private sealed class Reader(KconfigTree tree, string root, string srcArch)
    {
        private readonly List<Frame> _frames = [];

        public void Read(string relative, bool mustExist)
        {
            var path = Path.Combine(root, relative);
            if (!System.IO.File.Exists(path))
            {
                if (mustExist) throw new FileNotFoundException($"Kconfig file {path} not found", path);
                return;
            }
            var lines = System.IO.File.ReadAllLines(path);
            object? current = null;   // SymbolDefinition or Frame the "depends on"/type lines belong to
            for (var i = 0; i < lines.Length; i++)
            {
                var line = Expand(lines[i]).Trim();
                while (line.EndsWith('\\') && i + 1 < lines.Length) line = line[..^1] + " " + Expand(lines[++i]).Trim();
                if (line.Length == 0 || line[0] == '#') continue;
                var (keyword, rest) = Split(line);
                switch (keyword)
                {
                    case "config" or "menuconfig":
                        var def = new SymbolDefinition
                        {
                            Name = rest.Trim(), File = relative, Line = i + 1,
                            Inherited = _frames.SelectMany(f => f.Conditions).ToList(),
                            Choice = _frames.LastOrDefault(f => f.Kind == "choice")?.ChoicePrompt,
                        };
                        (tree._symbols.TryGetValue(def.Name, out var defs) ? defs : tree._symbols[def.Name] = []).Add(def);
                        current = def;
                        break;
                    case "menu":
                        _frames.Add(new Frame("menu"));
                        current = _frames[^1];
                        break;
                    case "choice":
                        _frames.Add(new Frame("choice"));
                        current = _frames[^1];
                        break;
                    case "if":
                        _frames.Add(new Frame("if") { Conditions = { rest } });
                        current = null;
                        break;
                    case "endmenu" or "endchoice" or "endif":
                        var kind = keyword[3..];
                        var at = _frames.FindLastIndex(f => f.Kind == kind);
                        if (at >= 0) _frames.RemoveRange(at, _frames.Count - at);
                        current = null;
                        break;
                    case "source" or "osource" or "rsource" or "orsource":
                        var target = Unquote(rest);
                        if (target.Contains("$(", StringComparison.Ordinal)) break;   // an unresolvable macro
                        if (keyword.StartsWith("r", StringComparison.Ordinal) || keyword == "orsource")
                            target = Path.Combine(Path.GetDirectoryName(relative) ?? "", target);
                        if (target.Contains('*', StringComparison.Ordinal))
                        {
                            foreach (var f in Glob(target)) Read(f, mustExist: false);
                        }
                        else Read(target, mustExist: keyword is "source" or "rsource");
                        current = null;
                        break;
                    case "comment" or "mainmenu":
                        current = null;
                        break;
                    case "depends":
                        var expr = rest.StartsWith("on ", StringComparison.Ordinal) ? rest[3..].Trim() : rest;
                        if (current is SymbolDefinition s) s.DependsOn.Add(expr);
                        else if (current is Frame frame) frame.Conditions.Add(expr);
                        break;
                    case "bool" or "tristate" or "int" or "hex" or "string" or "def_bool" or "def_tristate":
                        if (current is SymbolDefinition typed)
                        {
                            typed.Type = keyword.Replace("def_", "", StringComparison.Ordinal);
                            if (!keyword.StartsWith("def_", StringComparison.Ordinal) && rest.TrimStart().StartsWith('"')) typed.HasPrompt = true;
                        }
                        else if (current is Frame { Kind: "choice" } choice && rest.TrimStart().StartsWith('"')) choice.ChoicePrompt = Unquote(rest.Split(" if ")[0]);
                        break;
                    case "prompt":
                        if (current is SymbolDefinition prompted) prompted.HasPrompt = true;
                        else if (current is Frame { Kind: "choice" } c2) c2.ChoicePrompt = Unquote(rest.Split(" if ")[0]);
                        break;
                    case "select":
                        if (current is SymbolDefinition selector) selector.Selects.Add(rest);
                        break;
                    case "help" or "---help---":
                        i = SkipHelp(lines, i);
                        break;
                }
            }
        }

        private IEnumerable<string> Glob(string pattern)
        {
            var dir = Path.GetDirectoryName(pattern) ?? "";
            var full = Path.Combine(root, dir);
            if (!Directory.Exists(full)) return [];
            return Directory.GetFiles(full, Path.GetFileName(pattern)).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal);
        }

        private static int SkipHelp(string[] lines, int helpLine)
        {
            var indent = -1;
            var i = helpLine + 1;
            for (; i < lines.Length; i++)
            {
                if (lines[i].Trim().Length == 0) continue;
                var width = Indent(lines[i]);
                if (indent < 0) indent = width;
                if (width < indent) break;
            }
            return i - 1;
        }

        private static int Indent(string line)
        {
            var width = 0;
            foreach (var c in line)
            {
                if (c == ' ') width++;
                else if (c == '\t') width = (width / 8 + 1) * 8;
                else break;
            }
            return width;
        }

        private string Expand(string line) =>
            line.Replace("$(SRCARCH)", srcArch, StringComparison.Ordinal).Replace("$(ARCH)", srcArch, StringComparison.Ordinal);

        private static (string Keyword, string Remainder) Split(string line)
        {
            var space = line.IndexOfAny([' ', '\t']);
            return space < 0 ? (line, "") : (line[..space], line[(space + 1)..].Trim());
        }

        private static string Unquote(string s)
        {
            s = s.Trim();
            return s.Length >= 2 && s[0] == '"' && s.IndexOf('"', 1) is var end and > 0 ? s[1..end] : s;
        }
    }
}
