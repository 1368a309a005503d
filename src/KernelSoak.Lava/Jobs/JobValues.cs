using System.Text.RegularExpressions;

namespace KernelSoak.Lava.Jobs;

/// <summary>
/// Checks for the values a job carries into a shell on the board or onto the dispatcher's command line,
/// made where they enter the job so a bad one fails at render time, naming itself, and never reaches LAVA.
/// </summary>
public static partial class JobValues
{
    /// <summary>An artifact's URL: absolute http(s), no whitespace or quotes (LAVA pastes it into qemu's command line).</summary>
    public static Uri ArtifactUrl(string what, Uri url)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"{what}: {url} is not an absolute http(s) URL");
        if (UnsafeInUrl().IsMatch(url.AbsoluteUri))
            throw new ArgumentException($"{what}: {url} holds whitespace, a quote or a shell character");
        return url;
    }

    /// <summary>One kernel command-line word (console=ttyAMA0,115200): no spaces, quotes or shell characters.</summary>
    public static string KernelArgument(string argument)
    {
        if (!KernelWord().IsMatch(argument))
            throw new ArgumentException($"kernel argument '{argument}': only letters, digits and _.,:=/@+- are allowed (it becomes one word of qemu's -append)");
        return argument;
    }

    /// <summary>
    /// A command typed at the board's shell over the serial console: one line of printable text. It is a
    /// shell command by design (the campaign's stress command), so only what would break the console is refused.
    /// </summary>
    public static string ConsoleCommand(string what, string command)
    {
        if (string.IsNullOrWhiteSpace(command)) throw new ArgumentException($"{what}: the command is empty");
        if (command.Any(c => char.IsControl(c)))
            throw new ArgumentException($"{what}: '{command}' holds a newline or control character (the console would take it as several commands)");
        if (command.Contains(StressScript.DoneWord, StringComparison.Ordinal))
            throw new ArgumentException($"{what}: '{command}' holds '{StressScript.DoneWord}', KernelSoak's own end-of-command marker");
        return command;
    }

    /// <summary>A name LAVA shows and files results under (job, test): printable, no newline, not too long.</summary>
    public static string Name(string what, string name, int max = 200)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > max || name.Any(char.IsControl))
            throw new ArgumentException($"{what}: '{name}' must be 1..{max} printable characters");
        return name;
    }

    /// <summary>A test-case name: LAVA keys results by it; letters, digits and _.- only.</summary>
    public static string CaseName(string name)
    {
        if (!CaseWord().IsMatch(name)) throw new ArgumentException($"test case '{name}': only letters, digits and _.- are allowed");
        return name;
    }

    [GeneratedRegex(@"[\s""'`$\\;|&<>(){}]")]
    private static partial Regex UnsafeInUrl();

    [GeneratedRegex(@"^[A-Za-z0-9_.,:=/@+-]+$")]
    private static partial Regex KernelWord();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]{1,100}$")]
    private static partial Regex CaseWord();
}
