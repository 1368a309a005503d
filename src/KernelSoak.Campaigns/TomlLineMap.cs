using Tomlyn.Syntax;

namespace KernelSoak.Campaigns;

/// <summary>Where each key of a TOML document stands (1-based lines), keyed by path like "stress[1].commands".</summary>
public sealed class TomlLineMap
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);

    public TomlLineMap(DocumentSyntax document)
    {
        foreach (var kv in document.KeyValues) AddKeyValue("", kv);
        var arrayCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var table in document.Tables)
        {
            var name = KeyText(table.Name);
            var path = name;
            if (table is TableArraySyntax)
            {
                var index = arrayCounts.GetValueOrDefault(name);
                arrayCounts[name] = index + 1;
                path = $"{name}[{index}]";
            }
            _lines.TryAdd(path, table.Span.Start.Line + 1);
            foreach (var kv in table.Items) AddKeyValue(path, kv);
        }
    }

    /// <summary>The line of the path, or of its closest enclosing key; 0 if unknown.</summary>
    public int LineOf(string path)
    {
        while (true)
        {
            if (_lines.TryGetValue(path, out var line)) return line;
            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            if (cut <= 0) return 0;
            path = path[..cut];
        }
    }

    private void AddKeyValue(string prefix, KeyValueSyntax kv)
    {
        var path = Join(prefix, KeyText(kv.Key));
        _lines.TryAdd(path, kv.Span.Start.Line + 1);
        AddValue(path, kv.Value);
    }

    private void AddValue(string path, ValueSyntax? value)
    {
        switch (value)
        {
            case ArraySyntax array:
                var i = 0;
                foreach (var item in array.Items)
                {
                    var itemPath = $"{path}[{i++}]";
                    _lines.TryAdd(itemPath, item.Span.Start.Line + 1);
                    AddValue(itemPath, item.Value);
                }
                break;
            case InlineTableSyntax table:
                foreach (var item in table.Items)
                    if (item.KeyValue is { } kv) AddKeyValue(path, kv);
                break;
        }
    }

    private static string Join(string prefix, string key) => prefix.Length == 0 ? key : prefix + "." + key;

    private static string KeyText(KeySyntax? key) => key?.ToString()?.Trim().Replace(" ", "", StringComparison.Ordinal) ?? "";
}
