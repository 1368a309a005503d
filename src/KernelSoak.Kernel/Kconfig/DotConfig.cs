namespace KernelSoak.Kernel.Kconfig;

/// <summary>A .config file: symbol → value ("y", "m", "n" for "is not set", numbers, unquoted strings).</summary>
public sealed class DotConfig
{
    private readonly Dictionary<string, string> _values;

    private DotConfig(Dictionary<string, string> values) => _values = values;

    public static DotConfig Parse(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("# CONFIG_", StringComparison.Ordinal) && line.EndsWith(" is not set", StringComparison.Ordinal))
                values[line["# CONFIG_".Length..^" is not set".Length]] = "n";
            else if (line.StartsWith("CONFIG_", StringComparison.Ordinal) && line.IndexOf('=') is var eq and > 0)
            {
                var value = line[(eq + 1)..];
                if (value.Length >= 2 && value[0] == '"' && value[^1] == '"') value = value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
                values[line["CONFIG_".Length..eq]] = value;
            }
        }
        return new DotConfig(values);
    }

    public static DotConfig Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>The symbol's value; absent symbols are "n" (what Kconfig means by not written).</summary>
    public string this[string symbol] => _values.GetValueOrDefault(symbol, "n");
    public bool Has(string symbol) => _values.ContainsKey(symbol);
    public IReadOnlyDictionary<string, string> Values => _values;
}
