using System.Text.Json;

namespace KernelSoak.Reports;

/// <summary>
/// Classify for a saved log (a user's old dmesg, a CI artifact, a 100 MB console capture): the reports
/// by title, as lines for a person or JSON for a machine. Shared by the task host and the native
/// <c>kernelsoak-classify</c>, so both print the same.
/// </summary>
public sealed class SavedLog
{
    private SavedLog(string path, int total, ReportBook book) => (Path, Total, Book) = (path, total, book);

    public string Path { get; }
    /// <summary>Reports found, before deduplication by title.</summary>
    public int Total { get; }
    public ReportBook Book { get; }

    /// <summary>Scans the file; each report goes to the book as it closes (only the first of a title is kept).</summary>
    public static SavedLog Classify(string path, IEnumerable<string> suppress) => Classify(path, suppress, TwoHalfScan.SplitPoint(path));

    /// <summary>As <see cref="Classify(string, IEnumerable{string})"/>, split for two cores near <paramref name="splitAt"/> (null: one scan).</summary>
    public static SavedLog Classify(string path, IEnumerable<string> suppress, long? splitAt)
    {
        var book = new ReportBook(suppress);
        var total = 0;
        void Add(KernelReport report) { total++; book.Add(report); }
        bool KeepText(string title) => !book.Knows(title);
        TwoHalfScan.Scan(path, System.IO.Path.GetFileName(path), splitAt, Add, KeepText);
        return new SavedLog(path, total, book);
    }

    public IEnumerable<string> Lines()
    {
        var suppressed = Book.Suppressed.Count;
        yield return $"{Path}: {Total} report(s), {Book.Reports.Count} distinct title(s){(suppressed > 0 ? $", {suppressed} suppressed as known noise" : "")}";
        foreach (var e in Book.Reports)
            yield return $"  {e.First.ClassName,-16} {e.First.Title}   (line {e.First.LineNumber}{(e.First.Timestamp is { } t ? $", {t:0.000000} s" : "")}{(e.Count > 1 ? $", ×{e.Count}" : "")})";
    }

    /// <summary>One object per title, first seen first (fields: docs/classify.md).</summary>
    public void WriteJson(Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartArray();
        foreach (var e in Book.Reports)
        {
            var r = e.First;
            json.WriteStartObject();
            json.WriteString("class", r.ClassName);
            json.WriteString("title", r.Title);
            json.WriteStartArray("alt_titles");
            foreach (var alt in r.AltTitles) json.WriteStringValue(alt);
            json.WriteEndArray();
            json.WriteString("guilty", r.GuiltyFunction);
            json.WriteString("culprit", r.Culprit);
            json.WriteBoolean("corrupted", r.Corrupted is not null);
            json.WriteString("corrupted_reason", r.Corrupted);
            json.WriteBoolean("ends_boot", r.EndsBoot);
            json.WriteString("first_line", r.FirstLine);
            json.WriteString("source", r.Source);
            json.WriteNumber("line", r.LineNumber);
            json.WriteNumber("end_line", r.EndLineNumber);
            if (r.StartOffset is { } start && r.EndOffset is { } end)
            {
                json.WriteNumber("start", start);
                json.WriteNumber("end", end);
            }
            else
            {
                json.WriteNull("start");
                json.WriteNull("end");
            }
            if (r.Timestamp is { } t) json.WriteNumber("timestamp", t);
            else json.WriteNull("timestamp");
            json.WriteNumber("count", e.Count);
            json.WriteString("text", r.Text);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
