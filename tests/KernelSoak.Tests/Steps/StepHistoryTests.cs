using System.Diagnostics;
using KernelSoak.Journal;
using KernelSoak.Steps;

namespace KernelSoak.Tests.Steps;

/// <summary>Expected step times from the journal, and timeline.html as a real browser renders it.</summary>
public class StepHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 1, 0, 0, TimeSpan.Zero);

    private static JournalEntry E(string step, JournalEvent ev, double at, string? outcome = null, string? note = null,
        Dictionary<string, string>? outputs = null) =>
        new() { Step = step, Event = ev, At = T0.AddSeconds(at), Outcome = outcome, Note = note, Outputs = outputs };

    private static readonly JournalEntry[] TwoRuns =
    [
        E("kernel/build", JournalEvent.Start, 0), E("kernel/build", JournalEvent.End, 100, Outcomes.Ok),
        E("bisect/0001/boot", JournalEvent.Start, 100), E("bisect/0001/boot", JournalEvent.Note, 101, note: "reboot issued"),
        E("bisect/0001/boot", JournalEvent.End, 140, Outcomes.Ok),
        E("bisect/0001/stress", JournalEvent.Start, 140), E("bisect/0001/stress", JournalEvent.End, 200, Outcomes.Ok, outputs: new() { ["verdict"] = "report" }),
        E("kernel/build", JournalEvent.Start, 300), E("kernel/build", JournalEvent.End, 420, Outcomes.Ok),
        E("kernel/build", JournalEvent.Start, 500), E("kernel/build", JournalEvent.End, 1500, Outcomes.Failed, note: "make: *** [Makefile] Error 2"),
        E("bisect/0002/boot", JournalEvent.Start, 1500), E("bisect/0002/boot", JournalEvent.End, 1550, Outcomes.Ok),
        E("bisect/0002/stress", JournalEvent.Start, 1550),
    ];

    [Test]
    public void Expected_time_is_the_median_of_ok_runs_of_the_step_then_of_its_kind()
    {
        var history = new StepHistory(TwoRuns);
        Assert.That(history.Expected("kernel/build"), Is.EqualTo((110.0, 2, false)), "the failed 1000 s build is not history");
        Assert.That(history.Describe("kernel/build"), Is.EqualTo("expected ~1.8 min, median of 2 runs"));
        Assert.That(history.Describe("bisect/0003/boot"), Is.EqualTo("expected ~45 s, median of 2 earlier 'boot' steps"));
        Assert.That(history.Describe("preflight"), Is.EqualTo("no history"));
    }

    [Test]
    public void Timeline_renders_in_a_real_headless_browser_with_every_step_and_mark()
    {
        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        if (chromium is null) Assert.Ignore("needs Debian's chromium (test.sh installs it through scripts/setup-host.sh --for-tests)");
        var dir = Directory.CreateTempSubdirectory("ks-timeline-").FullName;
        try
        {
            var page = Path.Combine(dir, "timeline.html");
            File.WriteAllText(page, TimelinePage.Render("KernelSoak: <qemu-bisect>", TwoRuns));
            Assert.That(File.ReadAllText(page), Does.Not.Contain("http://").And.Not.Contain("https://"), "self-contained: no network");
            var psi = new ProcessStartInfo(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + Path.Combine(dir, "profile"),
                "--dump-dom", "file://" + page]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var dom = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            Assert.That(p.WaitForExit(90_000), Is.True, "chromium rendered the page within 90 s");
            var html = dom.Result;
            // Only the script makes these elements: their presence proves the page rendered, not just parsed.
            foreach (var step in new[] { "kernel/build", "bisect/0001/boot", "bisect/0001/stress", "bisect/0002/stress" })
                Assert.That(html, Does.Contain($"<div class=\"name step-name\">{step}</div>"), step);
            Assert.That(html, Does.Contain("class=\"bar stress\"").And.Contain("class=\"bar failed\"").And.Contain("class=\"bar interrupted\""));
            Assert.That(html, Does.Contain("bisect/0001/boot: reboot issued"));
            Assert.That(html, Does.Contain("KernelSoak: &lt;qemu-bisect&gt;"));
            Assert.That(html, Does.Contain("1550 s in all"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
