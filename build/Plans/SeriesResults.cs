using KernelSoak.Series;
using KernelSoak.Soak;

namespace KernelSoak.Build.Plans;

/// <summary>The series' summary.md, results.json and junit.xml from the points' records (only those made from the current patches).</summary>
public static class SeriesResults
{
    /// <summary>Writes the results with <paramref name="answer"/>, or the answer as the evidence stands; returns it.</summary>
    public static SeriesAnswer Write(BuildContext c, SeriesAnswer? answer)
    {
        var series = c.Campaign.Series;
        var alpha = series.MissProbability;
        var hunt = HuntRule.Parse(series.Hunt);
        var records = series.Patches.Select(p => (Patch: p, Record: BisectPlan.Record(c, p))).ToList();
        var ids = records.Select(x => x.Patch.Id).ToList();
        var evidence = records.Select(x => PointRecords.Evidence(x.Record, hunt)).ToList();
        answer ??= AdaptiveSearch.AnswerNow(ids, evidence, BisectPlan.Policy(c));
        var rows = new List<ProbeRecord>();
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Record is not { } record) continue;
            // A clean point's probes together are what it proves, on every row of it.
            var point = evidence[i];
            var confidence = point.Clean ? PoissonBounds.Describe(point.StressSeconds, alpha) : null;
            double? interval = point.Clean ? Math.Round(PoissonBounds.IntervalLowerBound(point.StressSeconds, alpha), 1) : null;
            if (record.Probes.Count == 0)
                rows.Add(new ProbeRecord(record.Patch, 1, record.Verdict, [], [], Path.Combine(BisectPlan.BisectDir(c), record.Patch), 0, record.Note));
            rows.AddRange(record.Probes.Select(run => new ProbeRecord(record.Patch, run.Number, run.Verdict, run.Reports, [], run.Dir, run.StressSeconds, run.Note)
                { Confidence = confidence, RulesOutIntervalS = interval }));
        }
        var verdict = PointRecord.SeriesVerdict(answer.FirstBad is { } bad ? records[bad].Record : null, answer.FirstBad is not null);
        var (outcome, action) = Soak.ExitRules.Apply(c.Campaign.ExitRule, VerdictWords.Parse(verdict));
        var headline = answer.Kind switch
        {
            AnswerKind.FirstBad when answer.Skipped.Count > 0 => $"{outcome}: first bad patch one of {ids[answer.LastClean + 1]}…{ids[answer.FirstBad!.Value]} ({verdict})",
            AnswerKind.FirstBad => $"{outcome}: first bad patch {ids[answer.FirstBad!.Value]} ({verdict})",
            AnswerKind.NoBadPatch => $"{outcome}: no bad patch ({rows.Select(r => r.Name).Distinct().Count()} probed patches clean or untestable)",
            _ => "No verdict: no patch of the series could be tested",
        };
        var first = answer.FirstBad is { } f ? ids[f] : null;
        ResultsWriter.Write(BisectPlan.BisectDir(c), c.Campaign.Id, rows, new HashSet<string>(), headline, action, series: new SeriesOutcome(answer.Why, first, answer.ProbabilityWrong));
        return answer;
    }
}
