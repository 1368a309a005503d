using System.Text.Json;

namespace KernelSoak.Series;

/// <summary>
/// One probe of a round on several boards: point <paramref name="Index"/> (patch <paramref name="Patch"/>),
/// its <paramref name="Number"/> in the point's record, the window the search sized, and the point key its
/// record was made under when the round was planned (a replaced patch makes the saved round stale).
/// </summary>
public sealed record RoundProbe(int Slot, int Index, string Patch, int Number, double Seconds, ProbePurpose Purpose, string Why, string Key);

/// <summary>Where one probe of a round stands, read from the journal and the point's record.</summary>
public enum RoundProbeState
{
    /// <summary>Build, keep its kernel, submit, follow, record.</summary>
    New,
    /// <summary>A killed run submitted its job: reattach to it (its kernel is kept), follow, record.</summary>
    Submitted,
    /// <summary>The job was followed to its verdict: only the record is left.</summary>
    Followed,
    /// <summary>In its point's record (or the point was found untestable): nothing to do.</summary>
    Recorded,
}

/// <summary>
/// A round's plan, kept in a file from its start to its last record: a killed round resumes as it was planned.
/// Planning it anew from the evidence would not do: the probes it recorded before the host died change the
/// evidence, so a new plan would drop (and orphan) the jobs still running and probe other points instead.
/// </summary>
public static class ProbeRound
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>
    /// Numbers the round's probes: each point goes on from its highest recorded number (a probe that never
    /// recorded leaves a gap, never a number used twice), two probes of one point in a round take the next two.
    /// </summary>
    public static IReadOnlyList<RoundProbe> Plan(IReadOnlyList<string> ids, IReadOnlyList<ProbeNext> round, Func<int, int> highestNumber, Func<int, string> keyOf)
    {
        var taken = new Dictionary<int, int>();
        return [.. round.Select((p, slot) =>
        {
            var number = (taken.TryGetValue(p.Index, out var last) ? last : highestNumber(p.Index)) + 1;
            taken[p.Index] = number;
            return new RoundProbe(slot, p.Index, ids[p.Index], number, p.Seconds, p.Purpose, p.Why, keyOf(p.Index));
        })];
    }

    /// <summary>
    /// The saved round when it is still to be finished: every point still has the key it was planned under
    /// and some probe is not recorded. Null: plan a new round.
    /// </summary>
    public static IReadOnlyList<RoundProbe>? Pending(IReadOnlyList<RoundProbe>? saved, IReadOnlyList<string> ids, Func<int, string> keyOf, Func<RoundProbe, RoundProbeState> state)
    {
        if (saved is null || saved.Count == 0) return null;
        if (saved.Any(p => p.Index < 0 || p.Index >= ids.Count || ids[p.Index] != p.Patch || keyOf(p.Index) != p.Key)) return null;
        return saved.All(p => state(p) == RoundProbeState.Recorded) ? null : saved;
    }

    public static IReadOnlyList<RoundProbe>? Load(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<List<RoundProbe>>(File.ReadAllText(path), Json);
        }
        catch (JsonException)
        {
            return null; // a torn file: the round is planned again from the evidence
        }
    }

    /// <summary>Written whole (a temporary file renamed over it): a host killed while writing leaves the old plan or the new one.</summary>
    public static void Save(string path, IReadOnlyList<RoundProbe> round)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".new";
        File.WriteAllText(temporary, JsonSerializer.Serialize(round, Json));
        File.Move(temporary, path, overwrite: true);
    }
}
