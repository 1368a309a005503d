using System.Globalization;

namespace KernelSoak.Reports;

/// <summary>
/// One kernel log line with its decorations taken off: a syslog level ("&lt;4&gt;"), /dev/kmsg and
/// netconsole's "6,123,456,-;" prefix, journalctl's "host kernel: ", the "[  1.234567]" timestamp and a
/// "[T70]"/"[C1]" caller id. Parsed by hand: this runs on every line of every log (regexes were 20× grep).
/// </summary>
public readonly record struct LogLine(string Text, double? Timestamp)
{
    public static LogLine Parse(string raw)
    {
        var s = raw.AsSpan().TrimEnd("\r\n");
        if (s.Length == 0) return new LogLine("", null);
        if (char.IsAsciiDigit(s[0]) && Kmsg(s) is var (textStart, micros) && textStart > 0)
            return new LogLine(s[textStart..].ToString(), micros / 1e6);
        var at = 0;
        if (s[0] == '<')
        {
            var close = s.IndexOf('>');
            if (close > 1 && close < 5 && AllDigits(s[1..close])) at = close + 1;
        }
        if (at >= s.Length || s[at] != '[') return new LogLine(s.ToString(), null);
        var end = s[at..].IndexOf(']');
        if (end < 0) return new LogLine(s.ToString(), null);
        var stamp = s.Slice(at + 1, end - 1).Trim();
        var dot = stamp.IndexOf('.');
        if (dot <= 0 || !AllDigits(stamp[..dot]) || !AllDigits(stamp[(dot + 1)..]) || stamp.Length == dot + 1)
            return new LogLine(s.ToString(), null);
        var time = double.Parse(stamp, NumberStyles.Float, CultureInfo.InvariantCulture);
        at += end + 1;
        if (at < s.Length && s[at] == ' ') at++;
        // journalctl -o short-monotonic: "[  12.3] host kernel: message"
        var rest = s[at..];
        var space = rest.IndexOf(' ');
        if (space > 0 && rest[(space + 1)..].StartsWith("kernel: ", StringComparison.Ordinal)) at += space + 1 + "kernel: ".Length;
        // CONFIG_PRINTK_CALLER: "[T70]" or "[C1]"
        rest = s[at..];
        if (rest.Length > 3 && rest[0] == '[' && rest[1] is 'T' or 'C' && rest.IndexOf(']') is var cid and > 2 && AllDigits(rest[2..cid].Trim()))
        {
            at += cid + 1;
            if (at < s.Length && s[at] == ' ') at++;
        }
        return new LogLine(s[at..].ToString(), time);
    }

    /// <summary>"level,seq,usec,flags[,more];message" → where the message starts and the microseconds.</summary>
    private static (int, long)? Kmsg(ReadOnlySpan<char> s)
    {
        var semicolon = s.IndexOf(';');
        if (semicolon < 5 || semicolon > 64) return null;
        var fields = s[..semicolon];
        var first = fields.IndexOf(',');
        if (first <= 0 || !AllDigits(fields[..first])) return null;
        var afterSeq = fields[(first + 1)..];
        var second = afterSeq.IndexOf(',');
        if (second <= 0 || !AllDigits(afterSeq[..second])) return null;
        var afterUsec = afterSeq[(second + 1)..];
        var third = afterUsec.IndexOf(',');
        if (third <= 0 || !AllDigits(afterUsec[..third])) return null;
        return (semicolon + 1, long.Parse(afterUsec[..third], NumberStyles.None, CultureInfo.InvariantCulture));
    }

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        if (s.Length == 0) return false;
        foreach (var c in s)
            if (!char.IsAsciiDigit(c)) return false;
        return true;
    }
}
