using System.Text.RegularExpressions;
using KernelSoak.Lava.Api;
using KernelSoak.Lava.Jobs;
using KernelSoak.Lava.Logs;
using KernelSoak.Reports;
using KernelSoak.Soak;

namespace KernelSoak.Lava.Outcome;

/// <summary>
/// A finished LAVA job as a probe's outcome, the same record a local board's probe gives. The console the job
/// recorded goes through our classifier, never LAVA's own kernel-message check; what LAVA says decides only
/// whether there is a verdict at all:
///   Canceled, or Incomplete through the lab's fault (see <see cref="LavaFailure"/>), or before the console
///   showed anything → infra-error;
///   the prompt never reached → no-boot (with the reports that explain it);
///   reports (not suppressed, not pre-existing) → report;
///   Complete → clean; Incomplete after boot (the shell stopped answering) → wedge.
/// </summary>
public static partial class LavaProbeOutcome
{
    public const string Source = "lava";

    public static ProbeOutcome From(LavaJobStatus status, LavaLog log, LavaJob job, IEnumerable<string> suppress, IReadOnlySet<string> preExisting)
    {
        if (!status.IsFinished) throw new InvalidOperationException($"LAVA job {status.Id} is {status.State}, not finished");
        var seconds = status.Started is { } s && status.Ended is { } e ? (e - s).TotalSeconds : 0;
        var stress = StressOutcomes(log, job);
        var jobResult = log.JobResult;
        if (status.Health == LavaJobHealth.Canceled)
            return Infra($"LAVA job {status.Id} was cancelled{Device(status)}", stress, seconds);
        if (status.Health == LavaJobHealth.Incomplete && (jobResult is null || LavaFailure.IsLabSide(jobResult.ErrorType)))
            return Infra($"LAVA job {status.Id} incomplete through the lab ({jobResult?.ErrorType ?? "no job result in its log"}){Device(status)}: {First(jobResult?.ErrorMessage ?? status.FailureComment)}", stress, seconds);
        if (status.Health is not (LavaJobHealth.Complete or LavaJobHealth.Incomplete))
            return Infra($"LAVA job {status.Id} finished with health {status.Health}", stress, seconds);

        var console = log.ConsoleLines().ToList();
        // LAVA files a job's own faults (an artifact URL that 404s) as "Job" errors too: with nothing on the
        // console the kernel never ran, so there is nothing to judge.
        if (console.Count == 0)
            return Infra($"LAVA job {status.Id} ended {status.Health} before the board printed anything{Device(status)}: {First(jobResult?.ErrorMessage ?? status.FailureComment)}", stress, seconds);
        var book = new ReportBook(suppress);
        var timeline = new List<TimedReport>();
        var window = StressStart(log);
        foreach (var report in ReportClassifier.Classify(console.Select(l => l.Text), Source))
        {
            book.Add(report);
            // A suppressed title (noise every kernel prints) must not steer the search, as on a local board (Probe).
            var noise = book.Suppressed.Any(e => e.First.Title == report.Title);
            if (!noise && !preExisting.Contains(report.Title) && window is { } start && At(console, report.LineNumber) is { } when && when >= start)
                timeline.Add(new TimedReport(report.Title, (when - start).TotalSeconds));
        }
        static ReportSummary Summary(ReportBook.Entry e) => new(e.First.ClassName, e.First.Title, e.First.GuiltyFunction, string.Join(",", e.Sources), e.Count, e.First.FirstLine, e.First.Text);
        var reports = book.Reports.Where(r => !preExisting.Contains(r.First.Title)).Select(Summary).ToList();
        var pre = book.Reports.Where(r => preExisting.Contains(r.First.Title)).Select(Summary).ToList();
        var suppressed = book.Suppressed.Select(Summary).ToList();

        var booted = log.Results().Any(r => r is { Definition: "lava", Case: "auto-login-action" or "login-action", Passed: true });
        var (verdict, note) = !booted ? (Verdicts.NoBoot, $"the board never reached the prompt: {First(jobResult?.ErrorMessage ?? status.FailureComment)}")
            : reports.Count > 0 ? (Verdicts.Report, (string?)null)
            : status.Health == LavaJobHealth.Complete ? (Verdicts.Clean, null)
            : (Verdicts.Wedge, $"the board stopped answering during the stress ({jobResult?.ErrorType}: {First(jobResult?.ErrorMessage)})");
        return new ProbeOutcome(verdict, reports, pre, suppressed, stress, note, seconds)
        {
            StressSeconds = window is { } w && StressEnd(log) is { } end ? (end - w).TotalSeconds : 0,
            Timeline = timeline,
        };
    }

    private static ProbeOutcome Infra(string note, IReadOnlyList<StressOutcome> stress, double seconds) =>
        new(Verdicts.InfraError, [], [], [], stress, note, seconds);

    private static string Device(LavaJobStatus status) => status.Device is { } d ? $" on {d}" : "";

    /// <summary>The first line of LAVA's error message (a panic's whole text is in the reports).</summary>
    private static string First(string? message) => message?.Split('\n')[0].TrimEnd('\r') ?? "no message";

    private static DateTime? At(List<ConsoleLine> console, int lineNumber) =>
        lineNumber >= 1 && lineNumber <= console.Count ? console[lineNumber - 1].Time : null;

    /// <summary>When LAVA typed the first stress line: the window starts there.</summary>
    private static DateTime? StressStart(LavaLog log) =>
        log.Entries.FirstOrDefault(e => e.Level == "input" && e.Text?.Contains("ks_end=", StringComparison.Ordinal) == true)?.Time;

    private static DateTime? StressEnd(LavaLog log) =>
        log.Entries.LastOrDefault(e => e.IsConsole && e.Text?.Contains(StressScript.ExitWord, StringComparison.Ordinal) == true)?.Time;

    /// <summary>Each step's passes and non-zero exits, from its "ks-exit=STEP:STATUS" lines (found anywhere in a line: the loops print at once).</summary>
    private static List<StressOutcome> StressOutcomes(LavaLog log, LavaJob job)
    {
        var counts = job.Stress.Select(_ => (Runs: 0, Failed: 0)).ToArray();
        foreach (var line in log.ConsoleLines())
            foreach (Match m in ExitLine().Matches(line.Text))
                if (int.TryParse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture, out var step) && step < counts.Length)
                {
                    counts[step].Runs++;
                    if (m.Groups[2].Value != "0") counts[step].Failed++;
                }
        return [.. job.Stress.Select((s, i) => new StressOutcome(s.Name, s.Command, counts[i].Runs, counts[i].Failed))];
    }

    [GeneratedRegex(@"ks-exit=(\d+):(\d+)")]
    private static partial Regex ExitLine();
}
