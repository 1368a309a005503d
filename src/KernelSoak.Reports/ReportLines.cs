using System.Collections;

namespace KernelSoak.Reports;

/// <summary>
/// A report's lines as one string, each line a string of its own only when someone asks for it. A
/// report-dense log has a million lines inside reports: a string apiece was most of the scan's time
/// (allocation and GC); the title needs a few of them, and the rest are read as spans.
/// </summary>
public sealed class ReportLines : IReadOnlyList<string>
{
    private readonly ReadOnlyMemory<char> _text; // the lines, each followed by '\n'
    private readonly int[] _starts;              // line i is _text[_starts[i] .. _starts[i + 1] - 1)
    private string?[]? _strings;

    internal ReportLines(ReadOnlyMemory<char> text, int[] starts, int count) => (_text, _starts, Count) = (text, starts, count);

    /// <summary>A report whose text nobody wanted (a title already known to the caller).</summary>
    public static ReportLines Empty { get; } = new(ReadOnlyMemory<char>.Empty, [0], 0);

    public int Count { get; }

    public ReadOnlySpan<char> Span(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return _text.Span.Slice(_starts[index], _starts[index + 1] - _starts[index] - 1);
    }

    public string this[int index]
    {
        get
        {
            var span = Span(index);
            return (_strings ??= new string?[Count])[index] ??= span.ToString();
        }
    }

    /// <summary>The lines joined by '\n', as <see cref="KernelReport.Text"/> gives them.</summary>
    public override string ToString() => _text.Length == 0 ? "" : _text.Span[..^1].ToString();

    public IEnumerator<string> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>The open report's lines, in buffers kept from report to report (fresh ones per report cost as much as the strings did).</summary>
internal sealed class ReportLinesBuilder
{
    private char[] _chars = new char[16 * 1024];
    private int _length;
    private int[] _starts = new int[512];
    private int _count;

    public int Count => _count;

    public void Add(ReadOnlySpan<char> line)
    {
        if (_length + line.Length + 1 > _chars.Length) Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _length + line.Length + 1));
        if (_count + 1 >= _starts.Length) Array.Resize(ref _starts, _starts.Length * 2);
        _starts[_count++] = _length;
        line.CopyTo(_chars.AsSpan(_length));
        _length += line.Length;
        _chars[_length++] = '\n';
        _starts[_count] = _length;
    }

    /// <summary>The lines so far, read in place: valid until the builder is cleared or added to.</summary>
    public ReportLines Borrow() => new(_chars.AsMemory(0, _length), _starts, _count);

    /// <summary>Lines [<paramref name="first"/>, <paramref name="end"/>) joined by '\n' (each line followed by one).</summary>
    public string TextFrom(int first, int end) => first >= Math.Min(end, _count) ? "" : new string(_chars, _starts[first], _starts[Math.Min(end, _count)] - _starts[first]);

    /// <summary>As <see cref="TextFrom"/>, read in place: valid until the builder is cleared or added to.</summary>
    public ReadOnlySpan<char> SpanFrom(int first, int end) => first >= Math.Min(end, _count) ? [] : _chars.AsSpan(_starts[first], _starts[Math.Min(end, _count)] - _starts[first]);

    /// <summary>The lines so far, copied out to keep.</summary>
    public ReportLines Copy() => new(new string(_chars, 0, _length).AsMemory(), _starts[..(_count + 1)], _count);

    public void Clear()
    {
        (_length, _count) = (0, 0);
        _starts[0] = 0;
    }
}
