using System.Globalization;
using System.Text;
using KernelSoak.Remote;

namespace KernelSoak.Netconsole;

/// <summary>
/// One kernel log record off the wire, as a line the classifier reads: extended records in /dev/kmsg's
/// "level,seq,usec,flags;text" form (fragments joined, the ncfrag field dropped), plain ones as printed.
/// </summary>
public readonly record struct NetconsoleLine(string Line, long? Sequence);

/// <summary>
/// Turns netconsole datagrams into log lines. Extended ("+") datagrams carry one record, or one fragment
/// of a record over ~1000 bytes ("ncfrag=offset/total"), optionally after the kernel release ("r" flag);
/// plain datagrams carry console text that may end mid-line. Pure: no sockets, no clock. Bounded whatever
/// arrives: plain text is split by a <see cref="LineSplitter"/>, a record is reassembled only up to the
/// same cap (a longer one is handed on cut from its first fragment), and at most
/// <see cref="MaxPendingRecords"/> unfinished records wait for their fragments.
/// </summary>
public sealed class NetconsoleParser
{
    /// <summary>The kernel's extended records stop at 8 KiB; more unfinished at once is loss, not a burst.</summary>
    public const int MaxPendingRecords = 64;
    private readonly LineSplitter _plain = new(new UTF8Encoding(false));
    private readonly Dictionary<string, Fragments> _fragments = new(StringComparer.Ordinal);
    private int _abandoned;

    private sealed class Fragments(int total, long sequence)
    {
        public long Sequence { get; } = sequence;
        public byte[] Bytes { get; } = new byte[total];
        public HashSet<int> Offsets { get; } = [];
        public int Received { get; set; }
    }

    /// <summary>Records that began but never completed (a fragment lost on the way): counted, never guessed.</summary>
    public int IncompleteRecords => _fragments.Count + _abandoned;

    /// <summary>Records waiting for their other fragments now: at most <see cref="MaxPendingRecords"/>.</summary>
    public int WaitingRecords => _fragments.Count;

    public IEnumerable<NetconsoleLine> Feed(ReadOnlySpan<byte> datagram)
    {
        var lines = new List<NetconsoleLine>();
        if (Extended(datagram) is { } header)
            AddExtended(datagram, header, lines);
        else
            _plain.Feed(datagram, line => lines.Add(new NetconsoleLine(line, null)));
        return lines;
    }

    /// <summary>The plain text held back waiting for its newline.</summary>
    public IEnumerable<NetconsoleLine> Flush()
    {
        var lines = new List<NetconsoleLine>();
        _plain.Flush(line => lines.Add(new NetconsoleLine(line, null)));
        return lines;
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
        if (h.FragTotal > _plain.MaxLineBytes)
        {
            // No kernel record is this long: its first fragment stands for it, cut (the datagrams are in the raw log).
            if (h.FragOffset == 0 && Record(h, body) is var first) lines.Add(first with { Line = first.Line + _plain.CutMark });
            return;
        }
        var key = h.Prefix;
        if (!_fragments.TryGetValue(key, out var record))
        {
            if (_fragments.Count == MaxPendingRecords && _fragments.Remove(_fragments.MinBy(f => f.Value.Sequence).Key)) _abandoned++;
            _fragments[key] = record = new Fragments(h.FragTotal, h.Sequence);
        }
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
