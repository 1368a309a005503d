using System.Text.RegularExpressions;

namespace KernelSoak.Processes;

/// <summary>A {secret:NAME} in a user's command line names an environment variable that is not set.</summary>
public sealed class MissingSecretException(string message) : Exception(message);

/// <summary>
/// <c>{secret:NAME}</c> in a user's shell line (a power switch's command): the shell reads the value from
/// the environment variable NAME when it runs, so the secret is in no argument list (ps) and no log, where
/// the line shows <c>{secret:NAME}</c>. Write it inside double quotes when the value may hold spaces.
/// </summary>
public static partial class SecretReference
{
    [GeneratedRegex(@"\{secret:(?<name>[^}]*)\}")]
    private static partial Regex Reference();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();

    /// <summary>The line for sh (each reference as ${NAME}) and the secrets' values (to mask in output); <paramref name="setting"/> names the line in errors.</summary>
    public static (string Shell, IReadOnlyDictionary<string, string> Values) Resolve(string line, string setting, Func<string, string?> environment)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var shell = Reference().Replace(line, m =>
        {
            var name = m.Groups["name"].Value;
            if (!VariableName().IsMatch(name))
                throw new MissingSecretException($"{setting}: '{m.Value}' is not a secret reference: write {{secret:NAME}} with NAME an environment variable name (letters, digits, _)");
            var value = environment(name);
            if (string.IsNullOrEmpty(value))
                throw new MissingSecretException($"{setting} uses {{secret:{name}}}, but the environment variable {name} is not set (export it before the run)");
            values[name] = value;
            return "${" + name + "}";
        });
        return (shell, values);
    }

    /// <summary>Puts each secret's value back as {secret:NAME} (a tool that echoes its arguments in an error).</summary>
    public static string Hide(string text, IReadOnlyDictionary<string, string> values) =>
        values.Aggregate(text, (t, secret) => t.Replace(secret.Value, $"{{secret:{secret.Key}}}", StringComparison.Ordinal));
}
