using System.Globalization;
using System.Reflection;

namespace KernelSoak.Settings;

/// <summary>Marks a settings class as an INI section ([Board] → BoardSettings).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SectionAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>A short command-line name for a setting (e.g. --campaign for [Campaign] Name).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ArgumentAliasAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>The whole numbers a setting accepts (a port, a positive timeout).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RangeAttribute(int min, int max) : Attribute
{
    public int Min { get; } = min;
    public int Max { get; } = max;
}

/// <summary>
/// A path on this host: a leading "~/" is the user's home. A shell expands ~ only at the start of a word or
/// in an assignment, so --board-identity-file=~/.ssh/key and cake.config's values reach us with it.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class HostPathAttribute : Attribute;

/// <summary>distcc's host list: checked when bound (<see cref="DistccHosts.Parse"/>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DistccHostListAttribute : Attribute;

/// <summary>A directory KernelSoak writes into (and may clear parts of): never a filesystem root; empty only when allowed.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class WritableDirectoryAttribute(bool allowEmpty) : Attribute
{
    public bool AllowEmpty { get; } = allowEmpty;
}

/// <summary>
/// Binds settings from cake.config, then environment (SECTION_KEY), then arguments (--section-key);
/// later sources win. Unknown keys and malformed values are errors that name their source.
/// </summary>
public static class SettingsBinder
{
    public sealed record Source(string Description, string Value);

    /// <summary>Binds and returns the arguments that are not settings (left to the tasks).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Bind(
        object root,
        IReadOnlyList<IniEntry> file,
        IReadOnlyDictionary<string, string> environment,
        IReadOnlyList<KeyValuePair<string, string>> arguments)
    {
        var sections = Sections(root);
        foreach (var entry in file)
        {
            var where = $"{entry.File}:{entry.Line}";
            if (CakeOwnKeys.Contains(entry.Section, entry.Key)) continue;
            if (!sections.TryGetValue(entry.Section, out var section))
                throw new SettingsException($"{where}: unknown section [{entry.Section}] (known: {string.Join(", ", sections.Keys.Select(k => $"[{k}]"))})");
            var property = section.Properties.FirstOrDefault(p => p.Name.Equals(entry.Key, StringComparison.OrdinalIgnoreCase))
                ?? throw new SettingsException($"{where}: unknown key '{entry.Key}' in [{entry.Section}] (known: {string.Join(", ", section.Properties.Select(p => p.Name))})");
            Assign(section.Instance, property, entry.Value, $"{where} ({entry.Section}.{property.Name})");
        }
        foreach (var (name, section) in sections)
            foreach (var property in section.Properties)
                if (environment.TryGetValue(EnvironmentName(name, property.Name), out var value))
                    Assign(section.Instance, property, value, $"environment {EnvironmentName(name, property.Name)}");
        var rest = new List<KeyValuePair<string, string>>();
        foreach (var argument in arguments)
        {
            var match = sections.SelectMany(s => s.Value.Properties.Select(p => (Section: s.Key, s.Value.Instance, Property: p)))
                .FirstOrDefault(x => argument.Key.Equals(ArgumentName(x.Section, x.Property.Name), StringComparison.OrdinalIgnoreCase)
                    || argument.Key.Equals(x.Property.GetCustomAttribute<ArgumentAliasAttribute>()?.Name, StringComparison.OrdinalIgnoreCase));
            if (match.Property is not null)
            {
                Assign(match.Instance, match.Property, argument.Value, $"argument --{argument.Key}");
                continue;
            }
            var prefix = sections.Keys.FirstOrDefault(s => argument.Key.StartsWith(Kebab(s) + "-", StringComparison.OrdinalIgnoreCase));
            if (prefix is not null)
                throw new SettingsException($"argument --{argument.Key}: unknown setting in [{prefix}] (known: {string.Join(", ", sections[prefix].Properties.Select(p => "--" + ArgumentName(prefix, p.Name)))})");
            rest.Add(argument);
        }
        return rest;
    }

    public static string EnvironmentName(string section, string key) => Snake(section) + "_" + Snake(key);
    public static string ArgumentName(string section, string key) => Kebab(section) + "-" + Kebab(key);

    private sealed record SectionInfo(object Instance, IReadOnlyList<PropertyInfo> Properties);

    private static Dictionary<string, SectionInfo> Sections(object root) =>
        root.GetType().GetProperties()
            .Where(p => p.GetCustomAttribute<SectionAttribute>() is not null)
            .ToDictionary(
                p => p.GetCustomAttribute<SectionAttribute>()!.Name,
                p => new SectionInfo(p.GetValue(root)!, p.PropertyType.GetProperties().Where(q => q.CanWrite).ToList()),
                StringComparer.OrdinalIgnoreCase);

    private static void Assign(object instance, PropertyInfo property, string text, string where)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        object? value;
        if (type == typeof(string))
            value = property.GetCustomAttribute<HostPathAttribute>() is not null || property.GetCustomAttribute<WritableDirectoryAttribute>() is not null
                ? HostPaths.ExpandHome(text) : text;
        else if (type == typeof(int))
            value = int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i
                : throw new SettingsException($"{where}: '{text}' is not a whole number");
        else if (type == typeof(double))
            value = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d
                : throw new SettingsException($"{where}: '{text}' is not a number");
        else if (type == typeof(bool))
            value = text.ToLowerInvariant() switch
            {
                "true" or "yes" or "1" or "on" => true,
                "false" or "no" or "0" or "off" => false,
                _ => throw new SettingsException($"{where}: '{text}' is not true or false"),
            };
        else if (type.IsEnum)
            value = Enum.TryParse(type, text, ignoreCase: true, out var e) && Enum.IsDefined(type, e!) ? e
                : throw new SettingsException($"{where}: '{text}' is not one of {string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant()))}");
        else throw new InvalidOperationException($"setting type {type.Name} is not supported");
        if (property.GetCustomAttribute<RangeAttribute>() is { } range && value is int n && (n < range.Min || n > range.Max))
            throw new SettingsException($"{where}: {n} is out of range ({range.Min}–{range.Max})");
        if (property.GetCustomAttribute<WritableDirectoryAttribute>() is { } directory && value is string path)
        {
            if (path.Trim().Length == 0 && !directory.AllowEmpty) throw new SettingsException($"{where}: is empty: name a directory");
            if (path.Trim().Length > 0 && Path.GetPathRoot(Path.GetFullPath(path)) == Path.GetFullPath(path))
                throw new SettingsException($"{where}: '{path}' is a filesystem root: name a directory of its own");
        }
        if (property.GetCustomAttribute<DistccHostListAttribute>() is not null && value is string hosts) DistccHosts.Parse(hosts, where);
        if (property.GetCustomAttribute<SettingCheckAttribute>() is { } check && check.Problem(value?.ToString() ?? "") is { } problem)
            throw new SettingsException($"{where}: {problem}");
        property.SetValue(instance, value);
    }

    private static string Snake(string pascal) => PascalCase.Split(pascal, '_').ToUpperInvariant();
    private static string Kebab(string pascal) => PascalCase.Split(pascal, '-').ToLowerInvariant();
}
