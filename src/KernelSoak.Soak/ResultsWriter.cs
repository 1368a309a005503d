using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace KernelSoak.Soak;

/// <summary>One probe of a run: the soak itself, the baseline, or one attempt at one patch.</summary>
public sealed record ProbeRecord(string Name, int Attempt, string Verdict, IReadOnlyList<ReportSummary> Reports,
    IReadOnlyList<ReportSummary> PreExisting, string ArtifactDir, double Seconds, string? Note)
{
    /// <summary>For a clean verdict: what its stress time rules out ("clean for 20 s: at 95 % confidence …").</summary>
    public string? Confidence { get; init; }
    /// <summary>For a clean verdict: the report, if any, fires less often than once per this many seconds (at the campaign's confidence).</summary>
    public double? RulesOutIntervalS { get; init; }
}

/// <summary>A series' answer: the first bad patch (or none), in words, and the probability that it is wrong (null: unknown).</summary>
public sealed record SeriesOutcome(string Answer, string? FirstBad, double? ProbabilityWrong);

/// <summary>summary.md for people, results.json for machines, junit.xml for CI (a failure per report).</summary>
public static class ResultsWriter
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void Write(string directory, string campaign, IReadOnlyList<ProbeRecord> probes, IReadOnlySet<string> previousTitles, string outcome, string action,
        RunFacts? run = null, SeriesOutcome? series = null)
    {
        Directory.CreateDirectory(directory);
        var newTitles = probes.SelectMany(p => p.Reports).Select(r => r.Title).Distinct().Where(t => !previousTitles.Contains(t)).ToList();
        File.WriteAllText(Path.Combine(directory, "results.json"), JsonSerializer.Serialize(new
        {
            campaign, outcome, action, series, generated = DateTimeOffset.UtcNow, run, new_titles = newTitles, probes,
        }, Json));
        File.WriteAllText(Path.Combine(directory, "summary.md"), Markdown(campaign, probes, newTitles, outcome, action, run, series));
        Junit(campaign, probes, series).Save(Path.Combine(directory, "junit.xml"));
    }

    public static IReadOnlySet<string> PreviousTitles(string resultsJson)
    {
        if (!File.Exists(resultsJson)) return new HashSet<string>();
        using var doc = JsonDocument.Parse(File.ReadAllText(resultsJson));
        return doc.RootElement.GetProperty("probes").EnumerateArray()
            .SelectMany(p => p.GetProperty("reports").EnumerateArray()).Select(r => r.GetProperty("title").GetString()!).ToHashSet();
    }

    private static string Markdown(string campaign, IReadOnlyList<ProbeRecord> probes, IReadOnlyList<string> newTitles, string outcome, string action, RunFacts? run, SeriesOutcome? series)
    {
        var md = new StringBuilder();
        md.AppendLine($"# KernelSoak: {campaign}").AppendLine();
        md.AppendLine($"**{outcome}** — {action}").AppendLine();
        if (series is not null) md.AppendLine($"Series answer: {series.Answer}").AppendLine();
        if (run is not null) md.AppendLine(run.Markdown());
        md.AppendLine("| probe | attempt | verdict | reports | seconds | what a clean verdict rules out |").AppendLine("|---|---|---|---|---|---|");
        foreach (var p in probes)
            md.AppendLine($"| {p.Name} | {p.Attempt} | {p.Verdict} | {string.Join("<br>", p.Reports.Select(r => r.Title))} | {p.Seconds:0} | {p.Confidence} |");
        if (newTitles.Count > 0) md.AppendLine().AppendLine($"New since the previous run: {string.Join("; ", newTitles)}");
        var pre = probes.SelectMany(p => p.PreExisting).Select(r => r.Title).Distinct().ToList();
        if (pre.Count > 0) md.AppendLine().AppendLine($"Pre-existing (also on the unpatched baseline, not counted): {string.Join("; ", pre)}");
        foreach (var first in probes.SelectMany(p => p.Reports).GroupBy(r => r.Title).Select(g => g.First()))
        {
            md.AppendLine().AppendLine($"## {first.Title}").AppendLine();
            md.AppendLine($"- first line: `{first.FirstLine}`");
            md.AppendLine($"- guilty frame: {(first.Guilty is { Length: > 0 } g ? $"`{g}`" : "not found in the report")}");
            md.AppendLine($"- seen {first.Count}× on {first.Source}").AppendLine();
            md.AppendLine("```").AppendLine(first.Text).AppendLine("```");
        }
        return md.ToString();
    }

    /// <summary>A patch that could not be applied or built says nothing about the bug: skipped, as git bisect skip does.</summary>
    private static bool Untestable(string verdict) => verdict is Verdicts.ApplyFailed or Verdicts.BuildFailed or Verdicts.InfraError;

    private static XDocument Junit(string campaign, IReadOnlyList<ProbeRecord> probes, SeriesOutcome? series)
    {
        var cases = probes.Select(p =>
        {
            var testcase = new XElement("testcase", new XAttribute("classname", campaign), new XAttribute("name", $"{p.Name}#{p.Attempt}"),
                new XAttribute("time", p.Seconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)));
            if (Untestable(p.Verdict))
                testcase.Add(new XElement("skipped", new XAttribute("message", $"{p.Verdict}: {p.Note ?? "cannot be tested"}")));
            else if (p.Verdict != Verdicts.Clean)
                testcase.Add(new XElement("failure", new XAttribute("message", p.Reports.FirstOrDefault()?.Title ?? p.Note ?? p.Verdict), new XAttribute("type", p.Verdict),
                    string.Join("\n\n", p.Reports.Select(r => r.Text))));
            if (p.Confidence is not null) testcase.Add(new XElement("system-out", p.Confidence));
            return testcase;
        }).ToList();
        var time = probes.Sum(p => p.Seconds).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
        return new XDocument(new XElement("testsuites",
            new XElement("testsuite", new XAttribute("name", campaign), new XAttribute("tests", cases.Count),
                new XAttribute("failures", probes.Count(p => p.Verdict != Verdicts.Clean && !Untestable(p.Verdict))), new XAttribute("errors", 0),
                new XAttribute("skipped", probes.Count(p => Untestable(p.Verdict))),
                new XAttribute("time", time), new XAttribute("timestamp", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)),
                new XAttribute("hostname", Environment.MachineName), SeriesProperties(series), cases)));
    }

    private static XElement? SeriesProperties(SeriesOutcome? series)
    {
        if (series is null) return null;
        XElement Property(string name, string value) => new("property", new XAttribute("name", name), new XAttribute("value", value));
        return new XElement("properties",
            Property("series_answer", series.Answer),
            Property("first_bad_patch", series.FirstBad ?? ""),
            Property("probability_wrong", series.ProbabilityWrong?.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"));
    }
}
