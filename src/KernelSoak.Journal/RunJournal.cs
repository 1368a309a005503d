using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KernelSoak.Journal;

/// <summary>
/// The run's truth: an append-only JSON-lines file, each line fsynced before the step goes on, private to its
/// owner (0600), and leased: one run per campaign at a time (<see cref="Lease"/>). A line that cannot be read
/// is never skipped silently: it is reported (<see cref="Damage"/>) and the step it may have ended is not done.
/// A torn last line (a crash mid-append) is read as far as it goes and terminated by the next append — kept,
/// never rewritten.
/// </summary>
public sealed class RunJournal : IDisposable
{
    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly FileStream? _stream;
    private readonly Lease? _lease;
    private readonly List<JournalEntry> _entries;
    private readonly List<JournalDamage> _damage;
    private readonly Lock _gate = new();
    private bool _unterminated;

    private RunJournal(string path, FileStream? stream, Lease? lease, Parsed parsed)
    {
        Path = path;
        _stream = stream;
        _lease = lease;
        _entries = parsed.Entries;
        _damage = parsed.Damage;
        TornBytes = parsed.TornBytes;
        _unterminated = parsed.TornBytes > 0;
    }

    public string Path { get; }
    public IReadOnlyList<JournalEntry> Entries { get { lock (_gate) return [.. _entries]; } }
    /// <summary>Lines that could not be read, in file order: each is reported, and revokes the steps it may have ended.</summary>
    public IReadOnlyList<JournalDamage> Damage => _damage;
    /// <summary>Bytes of a last line without its newline found when opening (terminated by the next append).</summary>
    public int TornBytes { get; }
    /// <summary>Said when the campaign's lease was taken over from a run that died holding it.</summary>
    public string? LeaseNotice => _lease?.TakeOverNotice($"the campaign journal {Path}");

    /// <summary>Opens for appending under the campaign's lease; a second run gets <see cref="LeaseHeldException"/>.</summary>
    public static RunJournal Open(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var lease = Lease.Acquire(path + ".lock", $"the campaign journal {path}");
        try
        {
            var stream = new FileStream(path, PrivateFile.Options(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0));
            PrivateFile.Restrict(path);   // a journal an older version left world-readable
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            stream.Seek(0, SeekOrigin.End);
            return new RunJournal(path, stream, lease, Parse(bytes));
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>For --dryrun: reads what is there, creates nothing, refuses to write.</summary>
    public static RunJournal OpenReadOnly(string path) =>
        new(path, null, null, Parse(File.Exists(path) ? File.ReadAllBytes(path) : []));

    private sealed record Parsed(List<JournalEntry> Entries, List<JournalDamage> Damage, int TornBytes);

    private static Parsed Parse(byte[] bytes)
    {
        var entries = new List<JournalEntry>();
        var damage = new List<JournalDamage>();
        var (start, number) = (0, 0);
        while (start < bytes.Length)
        {
            var newline = Array.IndexOf(bytes, (byte)'\n', start);
            var end = newline < 0 ? bytes.Length : newline;
            var text = Encoding.UTF8.GetString(bytes, start, end - start);
            number++;
            start = end + 1;
            if (text.Trim().Length == 0) continue;
            if (TryParse(text) is { Step.Length: > 0 } entry) entries.Add(entry);
            else damage.Add(JournalDamageReader.Read(number, text, entries, torn: newline < 0));
        }
        return new Parsed(entries, damage, bytes.Length - (Array.LastIndexOf(bytes, (byte)'\n') + 1));
    }

    private static JournalEntry? TryParse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<JournalEntry>(line, Json);
        }
        catch (JsonException)
        {
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

    /// <summary>A note for people (the timeline, the log): no run acts on its text.</summary>
    public void Note(string step, string note, IReadOnlyDictionary<string, string>? outputs = null) =>
        Append(new JournalEntry { Step = step, Event = JournalEvent.Note, Note = note, Outputs = outputs is null ? null : new(outputs) });

    /// <summary>A note a later run acts on: its kind, with its words (<see cref="NoteWords"/>) for people.</summary>
    public void Note(string step, NoteKind kind, IReadOnlyDictionary<string, string>? outputs = null) =>
        Append(new JournalEntry { Step = step, Event = JournalEvent.Note, Kind = kind, Note = NoteWords.Of(kind), Outputs = outputs is null ? null : new(outputs) });

    /// <summary>The last note of a kind, of any step or of <paramref name="step"/>.</summary>
    public JournalEntry? LastNote(NoteKind kind, string? step = null)
    {
        lock (_gate) return _entries.LastOrDefault(e => e.NoteKind == kind && (step is null || e.Step == step));
    }

    /// <summary>The last End of a step, whatever its fingerprint.</summary>
    public JournalEntry? LastEnd(string step)
    {
        lock (_gate)
        {
            var last = _entries.FindLastIndex(e => e.Step == step && e.Event == JournalEvent.End);
            return Unreadable(last, s => s == step) ?? (last < 0 ? null : _entries[last]);
        }
    }

    /// <summary>The last End among steps that share one resource (e.g. every "…/build" of one build directory).</summary>
    public JournalEntry? LastEndWhere(Func<string, bool> step)
    {
        lock (_gate)
        {
            var last = _entries.FindLastIndex(e => e.Event == JournalEvent.End && step(e.Step));
            return Unreadable(last, step) ?? (last < 0 ? null : _entries[last]);
        }
    }

    /// <summary>
    /// A damaged line after the last readable end (at <paramref name="lastEnd"/>) that may have ended one of
    /// these steps: its end is unknown, so it reads as an end that is not "ok" — the step runs again.
    /// </summary>
    private JournalEntry? Unreadable(int lastEnd, Func<string, bool> step) =>
        _damage.LastOrDefault(d => d.EntriesBefore > lastEnd && d.Affects.Any(step)) is { } damage
            ? new JournalEntry { Step = damage.Affects.First(step), Event = JournalEvent.End, Outcome = Outcomes.Unreadable, Note = damage.Describe() }
            : null;

    public bool IsDone(string step, string fingerprint) =>
        LastEnd(step) is { Outcome: Outcomes.Ok } end && end.Fingerprint == fingerprint;

    /// <summary>Started and never ended: the process died (or the board rebooted) inside this step.</summary>
    public bool WasInterrupted(string step)
    {
        lock (_gate)
        {
            var last = _entries.LastOrDefault(e => e.Step == step && e.Event != JournalEvent.Note);
            return last is { Event: JournalEvent.Start } or { Event: JournalEvent.End, Outcome: Outcomes.Cancelled };
        }
    }

    private void Append(JournalEntry entry)
    {
        lock (_gate)
        {
            entry = entry with { Seq = _entries.Count == 0 ? 1 : _entries[^1].Seq + 1, At = DateTimeOffset.UtcNow };
            if (_stream is null) throw new InvalidOperationException("the journal is open read-only (dry run)");
            // A torn last line gets its newline with this entry, in one write: it stays, as a line of its own.
            var line = Encoding.UTF8.GetBytes((_unterminated ? "\n" : "") + JsonSerializer.Serialize(entry, Json) + "\n");
            _stream.Write(line);
            _stream.Flush(flushToDisk: true);
            _unterminated = false;
            _entries.Add(entry);
        }
    }

    public void Dispose()
    {
        _stream?.Dispose();
        _lease?.Dispose();
    }
}
