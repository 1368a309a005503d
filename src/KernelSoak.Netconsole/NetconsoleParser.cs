using System.Globalization;
using System.Text;

namespace KernelSoak.Netconsole;

/// <summary>
/// One kernel log record off the wire, as a line the classifier reads: extended records in /dev/kmsg's
/// "level,seq,usec,flags;text" form (fragments joined, the ncfrag field dropped), plain ones as printed.
/// </summary>
public readonly record struct NetconsoleLine(string Line, long? Sequence);

/// <summary>
/// Turns netconsole datagrams into log lines. Extended ("+") datagrams carry one record, or one fragment
/// of a record over ~1000 bytes ("ncfrag=offset/total"), optionally after the kernel release ("r" flag);
/// plain datagrams carry console text that may end mid-line. Pure: no sockets, no clock.
/// </summary>
public sealed class NetconsoleParser
{
    private readonly StringBuilder _partial = new();
    private readonly Dictionary<string, Fragments> _fragments = new(StringComparer.Ordinal);

    private sealed class Fragments(int total)
    {
        public byte[] Bytes { get; } = new byte[total];
        public HashSet<int> Offsets { get; } = [];
        public int Received { get; set; }
    }

    /// <summary>Records that began but never completed (a fragment lost on the way): counted, never guessed.</summary>
    public int IncompleteRecords => _fragments.Count;

    public IEnumerable<NetconsoleLine> Feed(ReadOnlySpan<byte> datagram)
    {
        var lines = new List<NetconsoleLine>();
        if (Extended(datagram) is { } header)
            AddExtended(datagram, header, lines);
        else
            AddPlain(Encoding.UTF8.GetString(datagram), lines);
        return lines;
    }

    /// <summary>The plain text held back waiting for its newline.</summary>
    public IEnumerable<NetconsoleLine> Flush()
    {
        if (_partial.Length == 0) return [];
        var line = _partial.ToString();
        _partial.Clear();
        return [new NetconsoleLine(line, null)];
    }

    private void AddPlain(string text, List<NetconsoleLine> lines)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\n') continue;
            _partial.Append(text, start, i - start);
            lines.Add(new NetconsoleLine(_partial.ToString().TrimEnd('\r'), null));
            _partial.Clear();
            start = i + 1;
        }
        _partial.Append(text, start, text.Length - start);
    }

    private readonly record struct Header(int Start, int Semicolon, string Prefix, long Sequence, int FragOffset, int FragTotal);

    /// <summary>"[release,]level,seq,usec,flags[,ncfrag=o/t];" at the start of the datagram, or null.</summary>
    private static Header? Extended(ReadOnlySpan<byte> d)
    {
        var semicolon = d.IndexOf((byte)';');
        if (semicolon < 7 || semicolon > 200) return null;
        var fields = Encoding.ASCII.GetString(d[..semicolon]).Split(',');
        // With the "r" flag the release comes first; it never is all digits.
        var at = fields.Length > 0 && !IsNumber(fields[0]) ? 1 : 0;
        if (fields.Length - at < 4 || !IsNumber(fields[at]) || !IsNumber(fields[at + 1]) || !IsNumber(fields[at + 2])) return null;
        var seq = long.Parse(fields[at + 1], CultureInfo.InvariantCulture);
        var prefix = string.Join(',', fields[at..(at + 4)]);
        var (offset, total) = (0, -1);
        foreach (var field in fields[(at + 4)..])
        {
            if (!field.StartsWith("ncfrag=", StringComparison.Ordinal)) continue;
            var parts = field["ncfrag=".Length..].Split('/');
            if (parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out offset) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out total)) break;
            return null;
        }
        return new Header(0, semicolon, prefix, seq, offset, total);
    }

    private void AddExtended(ReadOnlySpan<byte> d, Header h, List<NetconsoleLine> lines)
    {
        var body = d[(h.Semicolon + 1)..];
        if (h.FragTotal < 0)
        {
            lines.Add(Record(h, body));
            return;
        }
        if (h.FragTotal == 0 || h.FragOffset < 0 || h.FragOffset + body.Length > h.FragTotal) return; // malformed: dropped
        var key = h.Prefix;
        if (!_fragments.TryGetValue(key, out var record)) _fragments[key] = record = new Fragments(h.FragTotal);
        if (record.Bytes.Length != h.FragTotal || !record.Offsets.Add(h.FragOffset)) return; // duplicate
        body.CopyTo(record.Bytes.AsSpan(h.FragOffset));
        record.Received += body.Length;
        if (record.Received < h.FragTotal) return;
        _fragments.Remove(key);
        lines.Add(Record(h, record.Bytes));
    }

    /// <summary>The message up to its first real newline (what follows are " KEY=value" dictionary lines).</summary>
    private static NetconsoleLine Record(Header h, ReadOnlySpan<byte> body)
    {
        var newline = body.IndexOf((byte)'\n');
        var text = Encoding.UTF8.GetString(newline >= 0 ? body[..newline] : body);
        return new NetconsoleLine($"{h.Prefix};{text}", h.Sequence);
    }

    private static bool IsNumber(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);
}
