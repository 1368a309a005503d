using System.Globalization;
using System.Text;

namespace KernelSoak.Boot;

/// <summary>
/// A kernel command line read as the kernel reads it (lib/cmdline.c next_arg): words split at spaces
/// outside double quotes, the kernel's own parameters ending at a lone "--" (the rest goes to init), and
/// for a parameter given twice the last one winning. Only what the boot needs: the panic reboot.
/// </summary>
public static class KernelCommandLine
{
    /// <summary>The words of the command line, quotes kept (as extlinux's append or /proc/cmdline hold them).</summary>
    public static IReadOnlyList<string> Words(string cmdline)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var quoted = false;
        foreach (var c in cmdline)
        {
            if (c == '"') quoted = !quoted;
            if (!quoted && char.IsWhiteSpace(c))
            {
                if (word.Length > 0) words.Add(word.ToString());
                word.Clear();
                continue;
            }
            word.Append(c);
        }
        if (word.Length > 0) words.Add(word.ToString());
        return words;
    }

    /// <summary>
    /// The kernel's panic timeout from <c>panic=N</c> (the last one before "--"): N &gt; 0 reboots N seconds
    /// after a panic, N &lt; 0 at once, 0 never; null when the command line does not set it (or not as a number).
    /// </summary>
    public static int? PanicSeconds(string cmdline)
    {
        int? seconds = null;
        foreach (var word in KernelWords(cmdline))
            if (word.StartsWith("panic=", StringComparison.Ordinal)
                && int.TryParse(word["panic=".Length..].Trim('"'), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                seconds = n;
        return seconds;
    }

    /// <summary>True when a panic of this kernel reboots the board by itself (panic=N with N ≠ 0: the kernel's panic() restarts for any non-zero timeout).</summary>
    public static bool PanicReboots(string cmdline) => PanicSeconds(cmdline) is { } n && n != 0;

    /// <summary>
    /// The command line with <c>panic=<paramref name="seconds"/></c> added unless it already reboots after a
    /// panic; added last among the kernel's parameters (before any "--"), so it overrides an earlier panic=0.
    /// </summary>
    public static string WithPanicReboot(string cmdline, int seconds)
    {
        if (seconds <= 0) throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "a panic reboot needs a timeout > 0 s");
        if (PanicReboots(cmdline)) return cmdline;
        var words = Words(cmdline).ToList();
        var initArguments = words.IndexOf("--");
        words.Insert(initArguments < 0 ? words.Count : initArguments, $"panic={seconds.ToString(CultureInfo.InvariantCulture)}");
        return string.Join(' ', words);
    }

    /// <summary>The words the kernel takes as its own parameters: those before a lone "--".</summary>
    private static IEnumerable<string> KernelWords(string cmdline) => Words(cmdline).TakeWhile(w => w != "--");
}
