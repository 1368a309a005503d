namespace KernelSoak.Kernel.Kconfig;

/// <summary>
/// One option a user asked for, as asked: the name may be mangled (e.g. "X=2000" given to --enable),
/// the value is what the request means (y, m, n, a number, a string, or "undef").
/// </summary>
public sealed record RequestedOption(string Name, string Value, string Origin, bool Optional = false)
{
    /// <summary>The Kconfig symbol the request was about ("KCSAN_REPORT_ONCE_IN_MS" for "KCSAN_REPORT_ONCE_IN_MS=2000").</summary>
    public string Symbol => Name.Split('=')[0];

    /// <summary>"--enable X=2000": scripts/config writes CONFIG_X=2000=y, which Kconfig ignores.</summary>
    public bool IsMangled => Name.Contains('=', StringComparison.Ordinal);

    public static IEnumerable<RequestedOption> FromCampaign(IEnumerable<Campaigns.ConfigOption> options) =>
        options.Select(o => new RequestedOption(o.Name, o.Value, "campaign", o.Optional));

    /// <summary>Lines of a config fragment ("CONFIG_X=y", "# CONFIG_X is not set").</summary>
    public static IEnumerable<RequestedOption> FromFragment(string text, string origin)
    {
        foreach (var (symbol, value) in DotConfig.Parse(text).Values)
            yield return new RequestedOption(symbol, value, origin);
    }

    /// <summary>A scripts/config command line, verbatim (what a shell plan types).</summary>
    public static IReadOnlyList<RequestedOption> FromScriptsConfig(IReadOnlyList<string> args)
    {
        var result = new List<RequestedOption>();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs an option name");
            var origin = "scripts/config " + args[i];
            switch (args[i])
            {
                case "--enable" or "-e": result.Add(new RequestedOption(Next(), "y", origin)); break;
                case "--module" or "-m": result.Add(new RequestedOption(Next(), "m", origin)); break;
                case "--disable" or "-d": result.Add(new RequestedOption(Next(), "n", origin)); break;
                case "--undefine" or "-u": result.Add(new RequestedOption(Next(), "undef", origin)); break;
                case "--set-str": { var n = Next(); result.Add(new RequestedOption(n, Next(), origin)); break; }
                case "--set-val": { var n = Next(); result.Add(new RequestedOption(n, Next(), origin)); break; }
                case "--file": Next(); break;
                case "--keep-case" or "-k": break;
                default: throw new ArgumentException($"scripts/config argument '{args[i]}' is not understood");
            }
        }
        return result;
    }
}
