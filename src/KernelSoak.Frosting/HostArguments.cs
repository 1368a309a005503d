using Cake.Core.Diagnostics;

namespace KernelSoak.Frosting;

/// <summary>The command line, Cake-style: --target/-t, --verbosity/-v, switches, and --name=value pairs.</summary>
public sealed record HostArguments
{
    public string? Target { get; init; }
    public Verbosity Verbosity { get; init; } = Verbosity.Normal;
    public bool DryRun { get; init; }
    public bool Exclusive { get; init; }
    public bool Tree { get; init; }
    public bool Description { get; init; }
    public bool Help { get; init; }
    public bool Version { get; init; }
    /// <summary>Every other --name=value, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Values { get; init; } = [];

    public static HostArguments Parse(IReadOnlyList<string> args)
    {
        var result = new HostArguments();
        var values = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-'))
                throw new ArgumentException($"unexpected argument '{arg}': arguments are --name=value");
            var body = arg.TrimStart('-');
            string name, value;
            var eq = body.IndexOf('=');
            if (eq >= 0)
            {
                name = body[..eq];
                value = body[(eq + 1)..];
            }
            else
            {
                name = body;
                // "--target X" is accepted for the options that take a value; other names are switches.
                var takesValue = name is "target" or "t" or "verbosity" or "v";
                value = takesValue && i + 1 < args.Count && !args[i + 1].StartsWith('-') ? args[++i] : "true";
            }
            if (name.Length == 0)
                throw new ArgumentException($"unexpected argument '{arg}'");
            result = name.ToLowerInvariant() switch
            {
                "target" or "t" => result with { Target = value },
                "verbosity" or "v" => result with { Verbosity = ParseVerbosity(value) },
                "dryrun" or "dry-run" or "noop" => result with { DryRun = ParseBool(name, value) },
                "exclusive" or "e" => result with { Exclusive = ParseBool(name, value) },
                "tree" => result with { Tree = ParseBool(name, value) },
                "description" or "showdescription" => result with { Description = ParseBool(name, value) },
                "help" or "h" or "?" => result with { Help = true },
                "version" => result with { Version = true },
                // A bare unknown flag was once taken as "true" and the default target ran (4 minutes, a reboot).
                _ when eq < 0 => throw new ArgumentException(
                    $"unknown option '{arg}'. Options: {string.Join(", ", Switches)}; settings and arguments are --name=value"),
                _ => AddValue(result, values, name, value),
            };
        }
        return result with { Values = values };
    }

    /// <summary>What may stand alone on the command line; everything else is --name=value.</summary>
    public static readonly IReadOnlyList<string> Switches =
        ["--target NAME", "--verbosity LEVEL", "--dryrun", "--exclusive", "--tree", "--description", "--help", "--version"];

    private static HostArguments AddValue(HostArguments r, List<KeyValuePair<string, string>> values, string name, string value)
    {
        values.Add(new(name, value));
        return r;
    }

    private static bool ParseBool(string name, string value) => value.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new ArgumentException($"--{name} takes true or false, not '{value}'"),
    };

    private static Verbosity ParseVerbosity(string value) => value.ToLowerInvariant() switch
    {
        "q" or "quiet" => Verbosity.Quiet,
        "m" or "minimal" => Verbosity.Minimal,
        "n" or "normal" => Verbosity.Normal,
        "v" or "verbose" => Verbosity.Verbose,
        "d" or "diag" or "diagnostic" => Verbosity.Diagnostic,
        _ => throw new ArgumentException($"unknown verbosity '{value}' (quiet, minimal, normal, verbose, diagnostic)"),
    };
}
