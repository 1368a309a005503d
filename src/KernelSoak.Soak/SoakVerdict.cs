namespace KernelSoak.Soak;

/// <summary>The nightly soak's one probe turned into its record, its console line and its exit: only a clean soak passes.</summary>
public static class SoakVerdict
{
    /// <summary>The soak's record for the reports; a clean one states the rate its stress time rules out at <paramref name="missProbability"/>.</summary>
    public static ProbeRecord Record(ProbeOutcome outcome, string dir, double missProbability)
    {
        var clean = outcome.Kind == Verdict.Clean;
        return new ProbeRecord("soak", 1, outcome.Verdict, outcome.Reports, outcome.PreExisting, dir, outcome.Seconds, outcome.Note)
        {
            Confidence = clean ? Series.PoissonBounds.Describe(outcome.StressSeconds, missProbability) : null,
            RulesOutIntervalS = clean ? Math.Round(Series.PoissonBounds.IntervalLowerBound(outcome.StressSeconds, missProbability), 1) : null,
        };
    }

    /// <summary>"soak: report (title [NEW])": a title the previous results did not have is marked new.</summary>
    public static string Line(ProbeRecord record, IReadOnlySet<string> previousTitles) =>
        $"soak: {record.Verdict}{(record.Confidence is null ? "" : $" — {record.Confidence}")}" +
        (record.Reports.Count > 0 ? $" ({string.Join("; ", record.Reports.Select(r => r.Title + (previousTitles.Contains(r.Title) ? "" : " [NEW]")))})" : "");

    /// <summary>Why the run fails, or null for a clean soak.</summary>
    public static string? Failure(ProbeOutcome outcome) => outcome.Kind == Verdict.Clean ? null
        : $"the soak is not clean: {outcome.Verdict}{(outcome.Reports.Count > 0 ? ": " + outcome.Reports[0].Title : "")}";
}
