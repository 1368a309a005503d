using System.Diagnostics;
using System.Text.Json.Serialization;
using KernelSoak.Reports;
using KernelSoak.Remote;

namespace KernelSoak.Soak;

public sealed record ProbeSettings(
    IReadOnlyList<StressCommand> Stress,
    IReadOnlyList<string> Suppress,
    IReadOnlySet<string> PreExisting,
    TimeSpan Heartbeat,
    TimeSpan WedgeTimeout,
    bool StopOnFirstReport)
{
    /// <summary>Also listen on netconsole: the channel that still talks when SSH is gone (a wedge, a panic).</summary>
    public NetconsoleWatch? Netconsole { get; init; }

    /// <summary>End the window at the first report whose title this accepts (the series search's probes stop at the hunted bug's first report).</summary>
    public Func<string, bool>? StopOn { get; init; }

    /// <summary>Classify only what the kernel prints from here (seconds since boot): the boot already served an earlier probe (a module reload instead of a reboot).</summary>
    public double? LogSince { get; init; }
}

/// <summary>Listen at <paramref name="Bind"/> on the host; the board sends to <paramref name="Target"/>.</summary>
public sealed record NetconsoleWatch(System.Net.IPEndPoint Bind, KernelSoak.Netconsole.NetconsoleTarget Target);

public sealed record ReportSummary(string Class, string Title, string? Guilty, string Source, int Count, string FirstLine, string Text);

/// <summary>One report as it arrived: its title and the seconds since the stress window began (every occurrence, not just a title's first).</summary>
public sealed record TimedReport(string Title, double Seconds);

public sealed record ProbeOutcome(
    string Verdict,
    IReadOnlyList<ReportSummary> Reports,
    IReadOnlyList<ReportSummary> PreExisting,
    IReadOnlyList<ReportSummary> Suppressed,
    IReadOnlyList<StressOutcome> Stress,
    string? Note,
    double Seconds)
{
    /// <summary>Seconds the workloads ran (from their start to the window's end): what a clean verdict proves, what a rate is measured over.</summary>
    public double StressSeconds { get; init; }

    /// <summary>Every report that is not pre-existing or suppressed, with its time since the window began: the search measures the rate from these.</summary>
    public IReadOnlyList<TimedReport> Timeline { get; init; } = [];

    /// <summary>The verdict as a type (the JSON keeps its word, <see cref="VerdictWords"/>).</summary>
    [JsonIgnore] public Verdict Kind => VerdictWords.Parse(Verdict);

    /// <summary>
    /// The window ended with the board not answering: a wedge, or a panic seen over netconsole with SSH gone
    /// (a report verdict, and the board just as dead). Nothing runs on it before a power cycle.
    /// </summary>
    [JsonIgnore] public bool BoardStoppedAnswering => Kind == Soak.Verdict.Wedge || Note is not null;

    /// <summary>A test kernel that never came up: no window ran, <paramref name="why"/> is the cause.</summary>
    public static ProbeOutcome NoBoot(string why) => new(Verdicts.NoBoot, [], [], [], [], why, 0);
}

/// <summary>
/// One stress window under watch: the kernel log monitor, the workloads and a heartbeat that tells a
/// wedge (no SSH answer for the campaign's timeout) from a quiet, healthy board.
/// </summary>
public sealed class Probe(SshEndpoint endpoint, ProbeSettings settings, Action<string> say)
{
    public async Task<ProbeOutcome> RunAsync(string directory, CancellationToken cancellation = default)
    {
        var watch = Stopwatch.StartNew();
        var book = new ReportBook(settings.Suppress);
        var timeline = new List<TimedReport>();
        var stressClock = new Stopwatch();
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using var monitorSsh = await SshTarget.ConnectAsync(endpoint, cancellation);
        void OnReport(KernelReport report)
        {
            bool first, suppressed;
            lock (book)
            {
                first = book.Add(report);
                suppressed = book.Suppressed.Any(e => e.First.Title == report.Title);
                if (!suppressed && !settings.PreExisting.Contains(report.Title)) timeline.Add(new TimedReport(report.Title, stressClock.Elapsed.TotalSeconds));
            }
            if (!suppressed && !settings.PreExisting.Contains(report.Title) && settings.StopOn?.Invoke(report.Title) == true) window.Cancel();
            if (!first) return;
            var known = settings.PreExisting.Contains(report.Title) ? " (pre-existing: also on the baseline)" : "";
            say($"REPORT {report.ClassName}: {report.Title}{known} [{report.Source}]");
            if (settings.StopOnFirstReport && known.Length == 0) window.Cancel();
        }
        // Netconsole first: listening before the board is told to send.
        await using var netconsole = settings.Netconsole is { } nc ? await NetconsoleChannel.StartAsync(monitorSsh, nc, directory, OnReport, say, cancellation) : null;
        var monitor = new KernelLogMonitor(monitorSsh, Path.Combine(directory, "kmsg.log"), "ssh", OnReport) { Since = settings.LogSince };
        var monitoring = monitor.RunAsync(window.Token);
        stressClock.Start();
        var stressing = StressSession.RunAsync(endpoint, settings.Stress, directory, window.Token);
        string? wedge = null;
        var lastAnswer = Stopwatch.StartNew();
        // The heartbeat is a keep-alive (a "cat /proc/uptime" every few seconds): its commands are not logged.
        using var heartbeatSsh = await SshTarget.ConnectAsync(endpoint with { OnCommand = null }, cancellation);
        while (!stressing.IsCompleted && !window.IsCancellationRequested)
        {
            await Task.WhenAny(stressing, Task.Delay(settings.Heartbeat, window.Token)); // a cancelled delay ends the wait, never throws here
            if (stressing.IsCompleted) break;
            try
            {
                var beat = await heartbeatSsh.RunAsync("cat /proc/uptime", settings.Heartbeat, CancellationToken.None);
                if (beat.Succeeded) lastAnswer.Restart();
            }
            catch (Exception e) when (e is TimeoutException or Renci.SshNet.Common.SshException or InvalidOperationException)
            {
                // no answer this beat
            }
            if (lastAnswer.Elapsed > settings.WedgeTimeout)
            {
                wedge = $"no SSH answer for {lastAnswer.Elapsed.TotalSeconds:0} s (kernel log silent for {monitor.SinceLastLine.TotalSeconds:0} s)";
                say($"WEDGE: {wedge}");
                break;
            }
        }
        // A dying kernel's last words (the panic, the lockup) reach only netconsole: give them a moment.
        if (wedge is not null && netconsole is not null) await Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None);
        stressClock.Stop();
        await window.CancelAsync();
        if (netconsole is not null) await netconsole.StopAsync(wedge is null ? monitorSsh : null);
        IReadOnlyList<StressOutcome> stress = [];
        try { stress = await stressing; } catch (Exception e) when (e is OperationCanceledException or Renci.SshNet.Common.SshException or TimeoutException) { }
        try { await monitoring; } catch (Exception e) when (e is OperationCanceledException or Renci.SshNet.Common.SshException) { }
        // One stream in kernel-time order from every channel (the raw captures stay as they were).
        var captures = new List<(string, IEnumerable<string>)> { ("ssh", ReadAll(Path.Combine(directory, "kmsg.log"))) };
        if (settings.Netconsole is not null) captures.Add(("netconsole", ReadAll(Path.Combine(directory, NetconsoleChannel.RecordsFile))));
        MergedLog.Write(Path.Combine(directory, "merged.log"), captures);
        // Stopped by the user: what the window caught stays on disk, but a shortened window is no verdict.
        cancellation.ThrowIfCancellationRequested();
        ReportSummary Summary(ReportBook.Entry e) => new(e.First.ClassName, e.First.Title, e.First.GuiltyFunction, string.Join(",", e.Sources), e.Count, e.First.FirstLine, e.First.Text);
        List<ReportSummary> reports, preexisting, suppressed;
        List<TimedReport> times;
        lock (book)
        {
            reports = book.Reports.Where(e => !settings.PreExisting.Contains(e.First.Title)).Select(Summary).ToList();
            preexisting = book.Reports.Where(e => settings.PreExisting.Contains(e.First.Title)).Select(Summary).ToList();
            suppressed = book.Suppressed.Select(Summary).ToList();
            times = [.. timeline];
        }
        var verdict = reports.Count > 0 ? Verdicts.Report : wedge is not null ? Verdicts.Wedge : Verdicts.Clean;
        return new ProbeOutcome(verdict, reports, preexisting, suppressed, stress, wedge, watch.Elapsed.TotalSeconds)
        {
            StressSeconds = stressClock.Elapsed.TotalSeconds, Timeline = times,
        };
    }

    /// <summary>Lazily, each line at most <see cref="LineSplitter.DefaultMaxLineBytes"/>: kmsg.log keeps a runaway line whole.</summary>
    private static IEnumerable<string> ReadAll(string path) => File.Exists(path) ? LineSplitter.ReadLines(path, new System.Text.UTF8Encoding(false)) : [];
}
