namespace KernelSoak.Reports;

/// <summary>
/// The part of build.sh's command line Classify reads: --target, -v, and --name=value pairs for the log,
/// the format and cake.config overrides (--campaign=…). Anything else (--help, --tree, --dryrun, another
/// target) is the task host's to answer: <see cref="Parse"/> gives null and build.sh runs the host.
/// The one parser of the three Classify entries: the native program, the task host's direct path, and
/// (for --log and --format, which Cake parses alike) the task.
/// </summary>
public sealed record ClassifyCommandLine(bool Quiet, IReadOnlyList<KeyValuePair<string, string>> Values)
{
    public static ClassifyCommandLine? Parse(IReadOnlyList<string> args)
    {
        var values = new List<KeyValuePair<string, string>>();
        string? target = null;
        var quiet = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-')) return null;
            var body = arg.TrimStart('-');
            var eq = body.IndexOf('=');
            var name = (eq >= 0 ? body[..eq] : body).ToLowerInvariant();
            string value;
            if (eq >= 0) value = body[(eq + 1)..];
            else if (name is "target" or "t" or "verbosity" or "v" && i + 1 < args.Count && !args[i + 1].StartsWith('-')) value = args[++i];
            else return null; // a switch: --help, --tree, --dryrun, … (the host knows them all)
            switch (name)
            {
                case "target" or "t": target = value; break;
                case "verbosity" or "v": quiet = value.ToLowerInvariant() is "q" or "quiet"; break;
                default: values.Add(new(name, value)); break;
            }
        }
        return string.Equals(target, "Classify", StringComparison.OrdinalIgnoreCase) ? new ClassifyCommandLine(quiet, values) : null;
    }

    public string? this[string name] => Values.LastOrDefault(v => v.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
}
