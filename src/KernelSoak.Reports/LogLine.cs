using System.Globalization;
using System.Text.RegularExpressions;

namespace KernelSoak.Reports;

/// <summary>
/// One kernel log line with its decorations taken off: a syslog level ("&lt;4&gt;"), /dev/kmsg and
/// netconsole's "6,123,456,-;" prefix, journalctl's "host kernel: ", the "[  1.234567]" timestamp and a
/// "[T70]"/"[C1]" caller id.
/// </summary>
public readonly partial record struct LogLine(string Text, double? Timestamp)
{
    public static LogLine Parse(string raw)
    {
        var s = raw.TrimEnd('\r', '\n');
        if (s.Length == 0 || !(s[0] is '[' or '<' || char.IsAsciiDigit(s[0]))) return new LogLine(s, null);
        var kmsg = Kmsg().Match(s);
        if (kmsg.Success)
            return new LogLine(s[kmsg.Length..], double.Parse(kmsg.Groups[1].Value, CultureInfo.InvariantCulture) / 1e6);
        var m = Decorations().Match(s);
        if (!m.Success) return new LogLine(s, null);
        double? time = m.Groups["t"].Success ? double.Parse(m.Groups["t"].Value, CultureInfo.InvariantCulture) : null;
        return new LogLine(s[m.Length..], time);
    }

    // /dev/kmsg and netconsole extended: "level,seq,usec,flags[,more];message"
    [GeneratedRegex(@"^\d+,\d+,(\d+),[^;]*;")]
    private static partial Regex Kmsg();

    [GeneratedRegex(@"^(?:<\d+>)?(?:\[\s*(?<t>\d+\.\d+)\]\s?)(?:\S+ kernel: )?(?:\[\s*[TC]\d+\]\s?)?")]
    private static partial Regex Decorations();
}
