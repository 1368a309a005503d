using System.Globalization;

namespace KernelSoak.Reports;

/// <summary>
/// Several captures of one kernel log (the SSH /dev/kmsg stream, netconsole, a console) as one stream in
/// kernel-time order. A record seen on several channels (same sequence number) appears once, naming them
/// all; a line one channel missed (SSH died before the panic) is still there, from the one that had it.
/// </summary>
public static class MergedLog
{
    public sealed record Entry(double? Time, long? Sequence, string Text, IReadOnlyList<string> Sources);

    public static IReadOnlyList<Entry> Merge(IEnumerable<(string Source, IEnumerable<string> Lines)> captures)
    {
        var bySequence = new Dictionary<long, (double? Time, string Text, SortedSet<string> Sources, int Order)>();
        var unsequenced = new List<(double? Time, string Text, string Source, int Order)>();
        var order = 0;
        foreach (var (source, lines) in captures)
            foreach (var raw in lines)
            {
                order++;
                if (raw.Length == 0 || raw[0] == ' ') continue; // /dev/kmsg dictionary lines
                var line = LogLine.Parse(raw);
                if (Sequence(raw) is { } seq)
                {
                    if (bySequence.TryGetValue(seq, out var known)) known.Sources.Add(source);
                    else bySequence[seq] = (line.Timestamp, line.Text, new SortedSet<string>(StringComparer.Ordinal) { source }, order);
                }
                else unsequenced.Add((line.Timestamp, line.Text, source, order));
            }
        return bySequence.Select(kv => (Entry: new Entry(kv.Value.Time, kv.Key, kv.Value.Text, kv.Value.Sources.ToList()), kv.Value.Order))
            .Concat(unsequenced.Select(u => (Entry: new Entry(u.Time, null, u.Text, [u.Source]), u.Order)))
            // Kernel time, then sequence; lines with neither (a plain console without timestamps) go last, in arrival order.
            .OrderBy(x => x.Entry.Time ?? double.MaxValue).ThenBy(x => x.Entry.Sequence ?? long.MaxValue).ThenBy(x => x.Order)
            .Select(x => x.Entry).ToList();
    }

    public static void Write(string path, IEnumerable<(string Source, IEnumerable<string> Lines)> captures)
    {
        using var writer = new StreamWriter(path);
        foreach (var e in Merge(captures))
            writer.WriteLine($"[{(e.Time is { } t ? t.ToString("0.000000", CultureInfo.InvariantCulture).PadLeft(12) : "           ?")}] {string.Join('+', e.Sources),-15} {e.Text}");
    }

    /// <summary>The sequence number of a /dev/kmsg-form line ("level,seq,usec,flags;text"), if it is one.</summary>
    private static long? Sequence(string raw)
    {
        var semicolon = raw.IndexOf(';');
        if (semicolon < 5 || semicolon > 64) return null;
        var fields = raw.AsSpan(0, semicolon);
        var first = fields.IndexOf(',');
        if (first <= 0) return null;
        var rest = fields[(first + 1)..];
        var second = rest.IndexOf(',');
        return second > 0 && long.TryParse(rest[..second], NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : null;
    }
}
