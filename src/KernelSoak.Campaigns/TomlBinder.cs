using System.Collections;
using System.Globalization;
using System.Reflection;
using KernelSoak.Settings;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;

namespace KernelSoak.Campaigns;

/// <summary>The key's name in the file, where it is not the property's snake_case name.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class TomlNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>A string key that also takes a bare number or boolean (a Kconfig value: 2000, y).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ScalarAsStringAttribute : Attribute;

/// <summary>A key the file must have.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredKeyAttribute : Attribute;

/// <summary>
/// Binds a TOML document onto classes (snake_case keys → PascalCase properties), strictly:
/// unknown keys, wrong types and missing required keys are errors that name file:line.
/// </summary>
public static class TomlBinder
{
    public static T Bind<T>(string text, string file) where T : new()
    {
        var syntax = SyntaxParser.Parse(text, file, true);
        if (syntax.HasErrors)
        {
            var first = syntax.Diagnostics.First(d => d.Kind == Tomlyn.Syntax.DiagnosticMessageKind.Error);
            throw new CampaignException($"{file}:{first.Span.Start.Line + 1}:{first.Span.Start.Column + 1}: {first.Message}");
        }
        TomlTable model;
        try
        {
            model = TomlSerializer.Deserialize<TomlTable>(text)!;
        }
        catch (TomlException e)
        {
            throw new CampaignException($"{file}:{e.Line}: {e.Message}");
        }
        var binder = new Session(file, new TomlLineMap(syntax));
        return (T)binder.BindObject(typeof(T), model, "", 1);
    }

    public static string SnakeName(string pascal) => PascalCase.Split(pascal, '_').ToLowerInvariant();

    private sealed class Session(string file, TomlLineMap lines)
    {
        public object BindObject(Type type, TomlTable table, string path, int tableLine)
        {
            var instance = Activator.CreateInstance(type)!;
            var properties = type.GetProperties().Where(p => p.CanWrite).ToDictionary(p => p.GetCustomAttribute<TomlNameAttribute>()?.Name ?? SnakeName(p.Name), StringComparer.Ordinal);
            foreach (var (key, value) in table)
            {
                var keyPath = path.Length == 0 ? key : $"{path}.{key}";
                if (!properties.TryGetValue(key, out var property))
                    throw Error(keyPath, $"unknown key '{key}'{(path.Length == 0 ? "" : $" in [{path}]")} (known: {string.Join(", ", properties.Keys)})");
                var scalar = property.GetCustomAttribute<ScalarAsStringAttribute>() is not null && value is long or bool or double;
                property.SetValue(instance, scalar
                    ? System.Convert.ToString(value, CultureInfo.InvariantCulture)!.ToLowerInvariant()
                    : Convert(property.PropertyType, value, keyPath));
            }
            foreach (var (key, property) in properties)
                if (property.GetCustomAttribute<RequiredKeyAttribute>() is not null && !table.ContainsKey(key))
                    throw new CampaignException($"{file}:{(path.Length == 0 ? tableLine : lines.LineOf(path))}: missing required key '{key}'{(path.Length == 0 ? "" : $" in [{path}]")}");
            return instance;
        }

        private object? Convert(Type type, object? value, string path)
        {
            var target = Nullable.GetUnderlyingType(type) ?? type;
            if (value is null) return null;
            if (target == typeof(string))
                return value as string ?? throw Mismatch(path, "a string", value);
            if (target == typeof(int))
                return value is long l && l is >= int.MinValue and <= int.MaxValue ? (int)l : throw Mismatch(path, "a whole number", value);
            if (target == typeof(long)) return value is long l2 ? l2 : throw Mismatch(path, "a whole number", value);
            if (target == typeof(double))
                return value switch { double d => d, long l3 => (double)l3, _ => throw Mismatch(path, "a number", value) };
            if (target == typeof(bool)) return value is bool b ? b : throw Mismatch(path, "true or false", value);
            if (target.IsEnum)
            {
                if (value is not string s) throw Mismatch(path, "a string", value);
                var name = s.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
                return Enum.TryParse(target, name, ignoreCase: true, out var e) && Enum.IsDefined(target, e!) ? e
                    : throw Error(path, $"'{s}' is not one of {string.Join(", ", Enum.GetNames(target).Select(KebabName))}");
            }
            if (target.IsGenericType && target.GetGenericTypeDefinition() is var g
                && (g == typeof(List<>) || g == typeof(IReadOnlyList<>) || g == typeof(IList<>)))
            {
                var itemType = target.GetGenericArguments()[0];
                var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(itemType))!;
                IEnumerable items = value switch
                {
                    TomlArray a => a,
                    TomlTableArray ta => ta,
                    _ => throw Mismatch(path, "an array", value),
                };
                var i = 0;
                foreach (var item in items) list.Add(Convert(itemType, item, $"{path}[{i++}]"));
                return list;
            }
            if (target == typeof(Dictionary<string, string>))
            {
                if (value is not TomlTable t) throw Mismatch(path, "a table", value);
                return t.ToDictionary(kv => kv.Key, kv => (string)Convert(typeof(string), kv.Value, $"{path}.{kv.Key}")!);
            }
            if (target.IsClass)
                return value is TomlTable table ? BindObject(target, table, path, lines.LineOf(path)) : throw Mismatch(path, "a table", value);
            throw new InvalidOperationException($"campaign type {target.Name} is not supported");
        }

        private CampaignException Mismatch(string path, string expected, object value) =>
            Error(path, $"'{path}' must be {expected}, not {Describe(value)}");

        private CampaignException Error(string path, string message) => new($"{file}:{lines.LineOf(path)}: {message}");

        private static string Describe(object value) => value switch
        {
            string s => $"the string \"{s}\"",
            long l => $"the number {l}",
            bool b => b ? "true" : "false",
            TomlTable => "a table",
            TomlArray or TomlTableArray => "an array",
            _ => value.ToString() ?? "?",
        };
    }

    private static string KebabName(string pascal) => SnakeName(pascal).Replace('_', '-');
}
