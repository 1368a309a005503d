namespace KernelSoak.Reports;

/// <summary>
/// One kernel log line with its decorations taken off: a syslog level ("&lt;4&gt;"), /dev/kmsg and
/// netconsole's "6,123,456,-;" prefix, journalctl's "host kernel: ", the "[  1.234567]" timestamp and a
/// "[T70]"/"[C1]" caller id. Parsed by hand on spans: this runs on every line inside every report, and
/// only the message is allocated (regexes were 20× grep; a string per step and double.Parse were 3×).
/// </summary>
public readonly record struct LogLine(string Text, double? Timestamp)
{
    public static LogLine Parse(string raw)
    {
        var (start, length, timestamp) = Locate(raw);
        return new LogLine(start == 0 && length == raw.Length ? raw : raw.Substring(start, length), timestamp);
    }

    public static LogLine Parse(ReadOnlySpan<char> raw)
    {
        var (start, length, timestamp) = Locate(raw);
        return new LogLine(new string(raw.Slice(start, length)), timestamp);
    }

    /// <summary>Where the message sits in a raw line, and the line's kernel time in seconds.</summary>
    public static (int Start, int Length, double? Timestamp) Locate(ReadOnlySpan<char> raw) => Locate(raw, out _);

    /// <summary>
    /// As <see cref="Locate(ReadOnlySpan{char})"/>, and who printed the line (<see cref="Caller"/>).
    /// </summary>
    public static (int Start, int Length, double? Timestamp) Locate(ReadOnlySpan<char> raw, out Caller context)
    {
        context = Caller.None;
        var length = raw.Length;
        while (length > 0 && raw[length - 1] is '\r' or '\n') length--;
        var s = raw[..length];
        // Serial-console noise before the prefix: NULs and 0xFF (U+FFFD once decoded) at a reset, other control characters.
        var from = 0;
        while (from < s.Length && (s[from] < ' ' || s[from] is '\uFFFD' or '\u007F')) from++;
        if (from == s.Length) return (0, 0, null);
        if (char.IsAsciiDigit(s[from]) && Kmsg(s[from..]) is var (textStart, micros) && textStart > 0)
            return (from + textStart, s.Length - from - textStart, micros / 1e6);
        var at = from;
        // "syzkaller login: [  12.3] …": a console's login prompt, then the kernel's line.
        if (s[at] is not ('<' or '[') && s.IndexOf(" login: [", StringComparison.Ordinal) is var login and >= 0) at = login + " login: ".Length;
        if (s[at] == '<')
        {
            var close = s[at..].IndexOf('>');
            if (close > 1 && close < 5 && AllDigits(s[(at + 1)..(at + close)])) at += close + 1;
        }
        if (at >= s.Length || s[at] != '[' || Stamp(s, at + 1, out var end) is not { } time) return (from, s.Length - from, null);
        at = end + 1;
        context = Caller.Console;
        if (at < s.Length && s[at] == ' ') at++;
        // journalctl -o short-monotonic: "[  12.3] host kernel: message"
        var rest = s[at..];
        var space = rest.IndexOf(' ');
        if (space > 0 && rest[(space + 1)..].StartsWith("kernel: ", StringComparison.Ordinal)) at += space + 1 + "kernel: ".Length;
        // CONFIG_PRINTK_CALLER: "[T70]", "[C1]", padded "[ T1194]"; right after the timestamp or after a space.
        rest = s[at..];
        if (rest.Length > 3 && rest[0] == '[' && rest.IndexOf(']') is var cid and > 2 && rest[1..cid].TrimStart(' ') is var id
            && id.Length > 1 && id[0] is 'T' or 'C' && AllDigits(id[1..]))
        {
            context = new Caller(at + 1 + (cid - 1 - id.Length), id.Length);
            at += cid + 1;
            if (at < s.Length && s[at] == ' ') at++;
        }
        return (at, s.Length - at, time);
    }

    /// <summary>
    /// "[  12.345678]" from just after the bracket, in one pass: the seconds (one exact division, the same
    /// double as double.Parse) and where the closing bracket is; null unless spaces, digits, a dot, digits, spaces.
    /// </summary>
    private static double? Stamp(ReadOnlySpan<char> s, int from, out int close)
    {
        close = -1;
        var i = from;
        while (i < s.Length && s[i] == ' ') i++;
        var start = i;
        long whole = 0, fraction = 0, scale = 1;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++) whole = whole * 10 + (s[i] - '0');
        if (i == start || i >= s.Length || s[i] != '.') return null;
        var dot = i++;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++) (fraction, scale) = (fraction * 10 + (s[i] - '0'), scale * 10);
        if (i == dot + 1) return null;
        var stampEnd = i;
        while (i < s.Length && s[i] == ' ') i++;
        if (i >= s.Length || s[i] != ']') return null;
        close = i;
        // Past 15 digits the integer arithmetic above is no longer exact.
        return stampEnd - start - 1 <= 15 ? (double)(whole * scale + fraction) / scale
            : double.Parse(s[start..stampEnd], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture);
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
        if (third <= 0 || Digits(afterUsec[..third]) is not { } micros) return null;
        return (semicolon + 1, micros);
    }

    private static long? Digits(ReadOnlySpan<char> s)
    {
        if (s.Length is 0 or > 18) return null;
        long value = 0;
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c)) return null;
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        if (s.Length == 0) return false;
        foreach (var c in s)
            if (!char.IsAsciiDigit(c)) return false;
        return true;
    }
}

/// <summary>
/// Who printed a line: the caller id ("T1194", "C1") under CONFIG_PRINTK_CALLER, as a range of the raw
/// line; <see cref="Console"/> for a timestamped line without one; <see cref="None"/> for a line without a
/// timestamp (a continuation, another program's output).
/// </summary>
public readonly record struct Caller(int Start, int Length)
{
    public static Caller None => new(0, -1);
    public static Caller Console => new(0, 0);
    public bool IsId => Length > 0;
    public bool IsNone => Length < 0;
    public string Of(ReadOnlySpan<char> raw) => IsId ? raw.Slice(Start, Length).ToString() : IsNone ? "" : "console";
}
