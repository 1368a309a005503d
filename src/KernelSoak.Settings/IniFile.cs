namespace KernelSoak.Settings;

/// <summary>One "Key = Value" of an INI file, with the section it sits in and its line.</summary>
public sealed record IniEntry(string Section, string Key, string Value, string File, int Line);

/// <summary>Cake's INI dialect: [Section], Key=Value, ';' or '#' comments.</summary>
public static class IniFile
{
    public static IReadOnlyList<IniEntry> Parse(string text, string file)
    {
        var entries = new List<IniEntry>();
        // A key given twice in one section silently took the last value: refused, both lines named.
        var seen = new Dictionary<(string, string), int>();
        string? section = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            var number = i + 1;
            if (line.Length == 0 || line[0] is ';' or '#') continue;
            if (line[0] == '[')
            {
                if (!line.EndsWith(']') || line.Length < 3)
                    throw new SettingsException($"{file}:{number}: malformed section header '{line}' (expected [Name])");
                section = line[1..^1].Trim();
                continue;
            }
            var eq = line.IndexOf('=');
            if (eq <= 0)
                throw new SettingsException($"{file}:{number}: expected 'Key = Value', found '{line}'");
            if (section is null)
                throw new SettingsException($"{file}:{number}: '{line[..eq].Trim()}' is outside any [Section]");
            var key = line[..eq].Trim();
            if (seen.TryGetValue((section.ToLowerInvariant(), key.ToLowerInvariant()), out var first))
                throw new SettingsException($"{file}:{number}: [{section}] {key} is set again (first on line {first}): keep one of the two");
            seen[(section.ToLowerInvariant(), key.ToLowerInvariant())] = number;
            entries.Add(new IniEntry(section, key, Unquote(line[(eq + 1)..].Trim()), file, number));
        }
        return entries;
    }

    private static string Unquote(string v) =>
        v.Length >= 2 && v[0] == '"' && v[^1] == '"' ? v[1..^1] : v;
}
