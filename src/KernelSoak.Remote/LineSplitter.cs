using System.Globalization;
using System.Text;

namespace KernelSoak.Remote;

/// <summary>
/// Splits a live byte stream off a board (/dev/kmsg over SSH, a stress program's output, a console,
/// netconsole's plain text) into lines, holding at most <see cref="MaxLineBytes"/> of one line whatever
/// arrives: a longer line is handed on cut, ending in <see cref="CutMark"/>, and the rest of it is dropped
/// up to its newline. Never throws on content (NUL, 0xFF, invalid UTF-8 are decoded as the encoding does).
/// Lines are for reading (classifying, matching): every caller keeps the raw bytes itself, so a cut loses
/// nothing from the kept logs. A trailing CR (CRLF consoles) is not part of the line.
/// </summary>
public sealed class LineSplitter
{
    /// <summary>The kernel prints no line over ~1 KiB (4 KiB once /dev/kmsg escapes it): 64 KiB is junk or a runaway program.</summary>
    public const int DefaultMaxLineBytes = 64 * 1024;

    private readonly Encoding _encoding;
    private byte[] _line = new byte[256];
    private int _length;
    private bool _dropping; // inside the rest of a cut line

    public LineSplitter(Encoding encoding, int maxLineBytes = DefaultMaxLineBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        _encoding = encoding;
        MaxLineBytes = maxLineBytes;
        CutMark = string.Create(CultureInfo.InvariantCulture, $" [line cut: longer than {maxLineBytes} bytes; all of it is in the raw log]");
    }

    /// <summary>The most bytes of one line held (its bytes before the newline, a CR included).</summary>
    public int MaxLineBytes { get; }

    /// <summary>What a cut line ends with.</summary>
    public string CutMark { get; }

    /// <summary>The memory held for the line being read: grows with the longest line seen, never past <see cref="MaxLineBytes"/>.</summary>
    public int BufferBytes => _line.Length;

    /// <summary>Lines handed on cut so far.</summary>
    public long CutLines { get; private set; }

    /// <summary>A saved capture's lines, read lazily and split the same way (a raw log keeps a long line whole; its reader must not).</summary>
    public static IEnumerable<string> ReadLines(string path, Encoding encoding, int maxLineBytes = DefaultMaxLineBytes)
    {
        var splitter = new LineSplitter(encoding, maxLineBytes);
        var lines = new List<string>();
        var buffer = new byte[64 * 1024];
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            splitter.Feed(buffer.AsSpan(0, read), lines.Add);
            foreach (var line in lines) yield return line;
            lines.Clear();
        }
        splitter.Flush(lines.Add);
        foreach (var line in lines) yield return line;
    }

    /// <summary>Hands on every line <paramref name="bytes"/> completes; keeps the unfinished end for the next call.</summary>
    public void Feed(ReadOnlySpan<byte> bytes, Action<string> onLine)
    {
        while (true)
        {
            var newline = bytes.IndexOf((byte)'\n');
            if (!_dropping) Append(newline < 0 ? bytes : bytes[..newline], onLine);
            if (newline < 0) return;
            if (!_dropping) onLine(Decode(trimCr: true));
            (_length, _dropping) = (0, false);
            bytes = bytes[(newline + 1)..];
        }
    }

    /// <summary>The end of the stream: a last line without its newline is handed on.</summary>
    public void Flush(Action<string> onLine)
    {
        if (!_dropping && _length > 0) onLine(Decode(trimCr: true));
        (_length, _dropping) = (0, false);
    }

    private void Append(ReadOnlySpan<byte> piece, Action<string> onLine)
    {
        var room = MaxLineBytes - _length;
        if (piece.Length <= room)
        {
            Reserve(_length + piece.Length);
            piece.CopyTo(_line.AsSpan(_length));
            _length += piece.Length;
            return;
        }
        Reserve(MaxLineBytes);
        piece[..room].CopyTo(_line.AsSpan(_length));
        _length = MaxLineBytes;
        if (_encoding is UTF8Encoding) _length = Utf8Boundary(_line.AsSpan(0, _length));
        onLine(Decode(trimCr: false) + CutMark);
        CutLines++;
        (_length, _dropping) = (0, true);
    }

    private void Reserve(int needed)
    {
        if (needed > _line.Length) Array.Resize(ref _line, Math.Min(MaxLineBytes, Math.Max(needed, _line.Length * 2)));
    }

    private string Decode(bool trimCr)
    {
        var length = _length;
        if (trimCr)
            while (length > 0 && _line[length - 1] == '\r') length--;
        return _encoding.GetString(_line, 0, length);
    }

    /// <summary>Where a cut may fall without halving a UTF-8 sequence (no replacement character before the mark).</summary>
    private static int Utf8Boundary(ReadOnlySpan<byte> kept)
    {
        // Back over continuation bytes (10xxxxxx) to a lead byte; cut before it unless its sequence is whole.
        var i = kept.Length;
        var back = 0;
        while (i > 0 && back < 3 && (kept[i - 1] & 0xC0) == 0x80) (i, back) = (i - 1, back + 1);
        if (i == 0 || kept[i - 1] < 0xC0) return kept.Length; // ASCII, or no lead byte within reach: as it is
        var lead = kept[i - 1];
        var size = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        return back + 1 >= size ? kept.Length : i - 1;
    }
}
