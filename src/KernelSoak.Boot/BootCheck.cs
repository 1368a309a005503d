using System.Globalization;

namespace KernelSoak.Boot;

/// <summary>A smoke test run on the freshly booted kernel: its command, exit code and output (stdout and stderr).</summary>
public sealed record SmokeResult(string Command, int ExitCode, string Output)
{
    public bool Passed => ExitCode == 0;
}

/// <summary>
/// The check of a verified boot in one round trip (each round trip costs about a second on a slow board,
/// and this one sits between "SSH answers" and "verified"): the running kernel's config, then each smoke
/// test in its own subshell, its output and exit code between markers no kernel config or program prints.
/// </summary>
public static class BootCheck
{
    private const string Marker = "@@kernelsoak-smoke:";

    public static string Command(IReadOnlyList<string> smoke) =>
        string.Concat(["zcat /proc/config.gz 2>/dev/null || cat /boot/config-$(uname -r) 2>/dev/null",
            // The newline before ")": a test's trailing "# comment" must not swallow the rest of the command.
            .. smoke.Select((s, i) => $"; echo; echo '{Marker}{i}'; ( {s}\n) 2>&1; echo \"{Marker}rc=$?\"")]);

    /// <summary>The config text and each smoke test's result, from <see cref="Command"/>'s output; a test with no exit code recorded did not finish (-1).</summary>
    public static (string Config, IReadOnlyList<SmokeResult> Smoke) Parse(string output, IReadOnlyList<string> smoke)
    {
        static string Opener(int i) => "\n" + Marker + i.ToString(CultureInfo.InvariantCulture) + "\n";
        var cut = smoke.Count == 0 ? -1 : output.IndexOf(Opener(0), StringComparison.Ordinal);
        var config = cut < 0 ? output : output[..cut];
        var results = new List<SmokeResult>();
        for (var i = 0; i < smoke.Count; i++)
        {
            var open = Opener(i);
            var start = output.IndexOf(open, StringComparison.Ordinal);
            if (start < 0) { results.Add(new SmokeResult(smoke[i], -1, "")); continue; }
            start += open.Length;
            var rc = output.IndexOf(Marker + "rc=", start, StringComparison.Ordinal);
            if (rc < 0) { results.Add(new SmokeResult(smoke[i], -1, output[start..].Trim())); continue; }
            var lineEnd = output.IndexOf('\n', rc);
            var code = output[(rc + Marker.Length + 3)..(lineEnd < 0 ? output.Length : lineEnd)].Trim();
            results.Add(new SmokeResult(smoke[i], int.TryParse(code, CultureInfo.InvariantCulture, out var n) ? n : -1, output[start..rc].TrimEnd('\n')));
        }
        return (config, results);
    }
}
