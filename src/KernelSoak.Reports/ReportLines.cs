using System.Collections;

namespace KernelSoak.Reports;

/// <summary>
/// A report's lines in one growing buffer, each line a string only when someone asks for it. A
/// report-dense log has a million lines inside reports: a string apiece was most of the scan's time
/// (allocation and GC); the title needs only a few of them, and the rest are read as spans.
/// </summary>
public sealed class ReportLines : IReadOnlyList<string>
{
    private char[] _chars = new char[2048];
    private int _length;
    private int[] _starts = new int[32]; // line i is _chars[_starts[i] .. _starts[i + 1] - 1), a '\n' after each
    private int _count;
    private string?[] _strings = [];

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

    public int Count => _count;

    public ReadOnlySpan<char> Span(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
        return _chars.AsSpan(_starts[index], _starts[index + 1] - _starts[index] - 1);
    }

    public string this[int index]
    {
        get
        {
            var span = Span(index);
            if (_strings.Length < _count) Array.Resize(ref _strings, Math.Max(_count, _strings.Length * 2));
            return _strings[index] ??= span.ToString();
        }
    }

    /// <summary>The lines joined by '\n', as <see cref="KernelReport.Text"/> gives them.</summary>
    public override string ToString() => new(_chars, 0, Math.Max(0, _length - 1));

    public IEnumerator<string> GetEnumerator()
    {
        for (var i = 0; i < _count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
