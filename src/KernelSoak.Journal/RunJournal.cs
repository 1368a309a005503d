using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KernelSoak.Journal;

/// <summary>
/// The run's truth: an append-only JSON-lines file, each line fsynced before the step goes on.
/// A process killed mid-write leaves at most one torn last line, which Open drops (and keeps aside).
/// </summary>
public sealed class RunJournal : IDisposable
{
    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly FileStream? _stream;
    private readonly List<JournalEntry> _entries;
    private readonly Lock _gate = new();

    private RunJournal(string path, FileStream? stream, List<JournalEntry> entries, int tornBytes)
    {
        Path = path;
        _stream = stream;
        _entries = entries;
        TornBytesDropped = tornBytes;
    }

    public string Path { get; }
    public IReadOnlyList<JournalEntry> Entries { get { lock (_gate) return [.. _entries]; } }
    /// <summary>Bytes of a torn last line found (and set aside in journal.torn) when opening.</summary>
    public int TornBytesDropped { get; }

    public static RunJournal Open(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.None);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        var end = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        var torn = bytes.Length - end;
        if (torn > 0)
        {
            File.WriteAllBytes(path + ".torn", bytes[end..]);
            stream.SetLength(end);
            stream.Flush(flushToDisk: true);
        }
        var entries = new List<JournalEntry>();
        foreach (var line in Encoding.UTF8.GetString(bytes, 0, end).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (TryParse(line) is { } entry) entries.Add(entry);
        }
        stream.Seek(0, SeekOrigin.End);
        return new RunJournal(path, stream, entries, torn);
    }

    /// <summary>For --dryrun: reads what is there, creates nothing, refuses to write.</summary>
    public static RunJournal OpenReadOnly(string path)
    {
        var entries = new List<JournalEntry>();
        if (File.Exists(path))
        {
            var text = File.ReadAllText(path);
            var end = text.LastIndexOf('\n') + 1;
            foreach (var line in text[..end].Split('\n', StringSplitOptions.RemoveEmptyEntries))
                if (TryParse(line) is { } entry) entries.Add(entry);
        }
        return new RunJournal(path, null, entries, 0);
    }

    private static JournalEntry? TryParse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<JournalEntry>(line, Json);
        }
        catch (JsonException)
        {
            // A whole line that does not parse can only come from outside interference; skip, never die.
            return null;
        }
    }

    public void Begin(string step, string fingerprint, string? note = null) =>
        Append(new JournalEntry { Step = step, Fingerprint = fingerprint, Event = JournalEvent.Start, Note = note });

    public void Complete(string step, string fingerprint, string outcome, IReadOnlyDictionary<string, string>? outputs = null, string? note = null) =>
        Append(new JournalEntry
        {
            Step = step, Fingerprint = fingerprint, Event = JournalEvent.End, Outcome = outcome,
            Outputs = outputs is null ? null : new Dictionary<string, string>(outputs), Note = note,
        });

    public void Note(string step, string note, IReadOnlyDictionary<string, string>? outputs = null) =>
        Append(new JournalEntry { Step = step, Event = JournalEvent.Note, Note = note, Outputs = outputs is null ? null : new(outputs) });

    /// <summary>The last End of a step, whatever its fingerprint.</summary>
    public JournalEntry? LastEnd(string step)
    {
        lock (_gate) return _entries.LastOrDefault(e => e.Step == step && e.Event == JournalEvent.End);
    }

    /// <summary>The last End among steps that share one resource (e.g. every "…/build" of one build directory).</summary>
    public JournalEntry? LastEndWhere(Func<string, bool> step)
    {
        lock (_gate) return _entries.LastOrDefault(e => e.Event == JournalEvent.End && step(e.Step));
    }

    public bool IsDone(string step, string fingerprint) =>
        LastEnd(step) is { Outcome: Outcomes.Ok } end && end.Fingerprint == fingerprint;

    /// <summary>Started and never ended: the process died (or the board rebooted) inside this step.</summary>
    public bool WasInterrupted(string step)
    {
        lock (_gate)
        {
            var last = _entries.LastOrDefault(e => e.Step == step && e.Event != JournalEvent.Note);
            return last is { Event: JournalEvent.Start };
        }
    }

    /// <summary>The first step of a plan that is not done with its fingerprint; null when all are.</summary>
    public string? FirstUnfinished(IEnumerable<(string Step, string Fingerprint)> plan) =>
        plan.FirstOrDefault(s => !IsDone(s.Step, s.Fingerprint)).Step;

    private void Append(JournalEntry entry)
    {
        lock (_gate)
        {
            entry = entry with { Seq = _entries.Count == 0 ? 1 : _entries[^1].Seq + 1, At = DateTimeOffset.UtcNow };
            if (_stream is null) throw new InvalidOperationException("the journal is open read-only (dry run)");
            var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, Json) + "\n");
            _stream.Write(line);
            _stream.Flush(flushToDisk: true);
            _entries.Add(entry);
        }
    }

    public void Dispose() => _stream?.Dispose();
}
