using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KernelSoak.Series;

namespace KernelSoak.Soak;

/// <summary>One probe of one point: its verdict, the stress it gave (asked and measured) and every report with its time.</summary>
public sealed record ProbeRun(int Number, string Verdict, double RequestedSeconds, double StressSeconds, IReadOnlyList<ReportSummary> Reports,
    IReadOnlyList<TimedReport> Timeline, string Dir, string? Note);

/// <summary>
/// What is known about one point of a series (base + patches 0..i): recorded under the key of what was
/// built there — the base tree, the bytes of every patch up to it and the kernel inputs — so a patch
/// replaced under the same id is never judged by its predecessor's probes.
/// </summary>
public sealed record PointRecord(string Patch, string Key, string Verdict, string Note, IReadOnlyList<ProbeRun> Probes)
{
    /// <summary>The probes' stress seconds together (what the summary's seconds column shows).</summary>
    public double StressSeconds => Probes.Sum(p => p.StressSeconds);

    /// <summary>The point's kernel never existed (apply-failed, build-failed): a search skips it, as git bisect skip does.</summary>
    public bool Untestable => Verdicts.NeverBuilt(Verdict);

    /// <summary>Probe <paramref name="number"/> of a search is settled here: recorded, or not needed on an untestable point.</summary>
    public bool Settles(int number) => Untestable || Probes.Any(r => r.Number == number);

    /// <summary>A probe run did its part when the record it leaves holds one probe more than <paramref name="before"/>, or says the point is untestable.</summary>
    public static bool Advanced(PointRecord? after, int before) => after is not null && (after.Untestable || after.Probes.Count > before);

    /// <summary>The series' verdict: the first bad point's (a report when its record is gone), else clean.</summary>
    public static string SeriesVerdict(PointRecord? firstBad, bool anyBad) => anyBad ? firstBad?.Verdict ?? Verdicts.Report : Verdicts.Clean;
}

public static class PointRecords
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The key of a point: the base commit, each patch's content (in order) and the kernel inputs.</summary>
    public static string Key(string baseCommit, IEnumerable<string> patchContentHashes, string kernelInputs)
    {
        var text = string.Join("\n", new[] { "base " + baseCommit }.Concat(patchContentHashes.Select(h => "patch " + h)).Append("kernel " + kernelInputs));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public static string PathOf(string bisectDir, string patch) => Path.Combine(bisectDir, patch, "verdict.json");

    /// <summary>The record of <paramref name="patch"/> when it was made with <paramref name="key"/>; null when none is, or it belongs to other inputs.</summary>
    public static PointRecord? Load(string bisectDir, string patch, string key)
    {
        var path = PathOf(bisectDir, patch);
        if (!File.Exists(path)) return null;
        PointRecord? record;
        try { record = JsonSerializer.Deserialize<PointRecord>(File.ReadAllText(path), Json); }
        catch (JsonException) { return null; } // a record from before keys (or torn): not evidence
        return record is not null && record.Key == key && record.Patch == patch ? record : null;
    }

    public static void Save(string bisectDir, PointRecord record)
    {
        var path = PathOf(bisectDir, record.Patch);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(record, Json));
        File.Move(temp, path, true);
    }

    /// <summary>
    /// The record as the search counts it. Untestable verdicts skip the point; a probe counts the reports
    /// the hunt steers by (each occurrence, from its timeline; a report only pstore caught counts once, at
    /// the window's end); with "any", a wedge is a report at its time and a no-boot makes the point bad
    /// without a rate, while a title hunt calls a no-boot point untestable.
    /// </summary>
    public static PointEvidence Evidence(PointRecord? record, HuntRule hunt)
    {
        if (record is null) return PointEvidence.None;
        switch (record.Verdict)
        {
            case Verdicts.ApplyFailed: return new PointEvidence([], Untestable.ApplyFailed);
            case Verdicts.BuildFailed: return new PointEvidence([], Untestable.BuildFailed);
        }
        var probes = new List<ProbeObservation>();
        var noBoot = false;
        foreach (var p in record.Probes)
        {
            if (p.Verdict == Verdicts.NoBoot) { noBoot = true; continue; }
            if (p.Verdict == Verdicts.InfraError) continue;
            var timed = p.Timeline.Count(t => hunt.Steers(t.Title));
            var pstoreOnly = p.Reports.Count(r => hunt.Steers(r.Title) && p.Timeline.All(t => t.Title != r.Title));
            var wedge = hunt.HuntsAny && p.Verdict == Verdicts.Wedge && timed + pstoreOnly == 0 ? 1 : 0;
            var count = timed + pstoreOnly + wedge;
            // A window that ran to its end stressed for the length it was given (the loop's clock is the board's).
            var seconds = count == 0 && p.Verdict == Verdicts.Clean ? Math.Max(p.StressSeconds, p.RequestedSeconds) : p.StressSeconds;
            probes.Add(new ProbeObservation(seconds, count));
        }
        if (noBoot && probes.Count == 0)
            return hunt.HuntsAny ? new PointEvidence([], FailedOutright: true) : new PointEvidence([], Untestable.NoBoot);
        return new PointEvidence(probes, FailedOutright: noBoot && hunt.HuntsAny);
    }
}
