using KernelSoak.Lava.Api;
using KernelSoak.Lava.Logs;
using KernelSoak.Lava.Outcome;
using KernelSoak.Soak;

namespace KernelSoak.Lava.Tests;

/// <summary>LAVA's health and error type decide whether there is a verdict; our classifier decides which.</summary>
public class LavaProbeOutcomeTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 18, 26, 58, TimeSpan.Zero);

    private static LavaJobStatus Finished(LavaJobHealth health) =>
        new(2, LavaJobState.Finished, health, "qemu-01", Start, Start, Start.AddSeconds(66), health == LavaJobHealth.Complete ? null : "the comment");

    private static ProbeOutcome Outcome(LavaJobHealth health, string log, IReadOnlySet<string>? preExisting = null, string[]? suppress = null) =>
        LavaProbeOutcome.From(Finished(health), LavaLog.Parse(log), TestLogs.CleanJob, suppress ?? [], preExisting ?? new HashSet<string>());

    private static string Clean => TestLogs.Read("complete-clean.yaml");

    [Test]
    public void A_complete_job_with_a_quiet_kernel_is_clean_with_its_stress_counted()
    {
        var outcome = Outcome(LavaJobHealth.Complete, Clean);
        Assert.That(outcome.Verdict, Is.EqualTo(Verdicts.Clean));
        Assert.That(outcome.Stress, Is.EqualTo(new List<StressOutcome>
        {
            new("uname-loop", "uname -r; cat /proc/loadavg; sleep 1", 8, 0),
            new("meminfo", "cat /proc/meminfo >/dev/null; sleep 2", 4, 0),
        }));
        Assert.That(outcome.Seconds, Is.EqualTo(66));
        Assert.That(outcome.StressSeconds, Is.InRange(17.2, 17.4), "from the typed line (19:02:46.87) to the last pass (19:03:04.15)");
    }

    [Test]
    public void A_kernel_report_on_the_console_is_a_report_verdict_with_its_time_in_the_window()
    {
        var outcome = Outcome(LavaJobHealth.Complete, TestLogs.WithConsole(Clean, TestLogs.Warning));
        Assert.That(outcome.Verdict, Is.EqualTo(Verdicts.Report));
        Assert.That(outcome.Reports.Single().Title, Is.EqualTo("WARNING in lkdtm_WARNING"));
        Assert.That(outcome.Reports.Single().Source, Is.EqualTo("lava"));
        Assert.That(outcome.Timeline.Single().Seconds, Is.InRange(3.6, 3.7), "19:02:50.51 less the line typed at 19:02:46.87");
    }

    [Test]
    public void A_real_lkdtm_warning_through_LAVA_is_one_report_and_every_pass_counted()
    {
        var job = TestLogs.CleanJob with { Stress = [new Jobs.StressStep("lkdtm-warning", LkdtmCommand, TimeSpan.FromSeconds(6))] };
        var outcome = LavaProbeOutcome.From(Finished(LavaJobHealth.Complete), LavaLog.Parse(TestLogs.Read("complete-lkdtm-warning.yaml")), job, [], new HashSet<string>());
        Assert.That(outcome.Verdict, Is.EqualTo(Verdicts.Report));
        Assert.That(outcome.Reports.Select(r => (r.Class, r.Title)), Is.EqualTo(new[] { ("WARNING", "WARNING in lkdtm_WARNING") }));
        Assert.That(outcome.Reports.Single().Count, Is.GreaterThanOrEqualTo(2), "each pass fired it again");
        Assert.That(outcome.Stress.Single().Iterations, Is.EqualTo(outcome.Reports.Single().Count));
    }

    private const string LkdtmCommand = "[ -e /sys/kernel/debug/provoke-crash ] || { insmod /root/lkdtm.ko; mount -t debugfs none /sys/kernel/debug; }; echo WARNING > /sys/kernel/debug/provoke-crash/DIRECT; sleep 2";

    [Test]
    public void Pre_existing_and_suppressed_reports_give_no_verdict()
    {
        var preExisting = Outcome(LavaJobHealth.Complete, TestLogs.WithConsole(Clean, TestLogs.Warning), new HashSet<string> { "WARNING in lkdtm_WARNING" });
        Assert.That(preExisting.Verdict, Is.EqualTo(Verdicts.Clean));
        Assert.That(preExisting.PreExisting.Single().Title, Is.EqualTo("WARNING in lkdtm_WARNING"));
        var suppressed = Outcome(LavaJobHealth.Complete, TestLogs.WithConsole(Clean, TestLogs.Warning), suppress: ["lkdtm"]);
        Assert.That(suppressed.Verdict, Is.EqualTo(Verdicts.Clean));
        Assert.That(suppressed.Suppressed, Has.Count.EqualTo(1));
        Assert.That(Outcome(LavaJobHealth.Complete, TestLogs.WithConsole(Clean, TestLogs.Warning)).Timeline, Has.Count.EqualTo(1), "the warning is in the stress window");
        Assert.That(suppressed.Timeline, Is.Empty, "a suppressed title does not steer the search (PointRecords.Evidence counts the timeline)");
        Assert.That(preExisting.Timeline, Is.Empty);
    }

    [Test]
    public void A_boot_that_never_reached_the_prompt_is_no_boot_with_the_panic_that_explains_it()
    {
        var outcome = Outcome(LavaJobHealth.Incomplete, TestLogs.Read("no-boot-root-panic.yaml"));
        Assert.That(outcome.Verdict, Is.EqualTo(Verdicts.NoBoot));
        Assert.That(outcome.Reports.Single().Title, Does.StartWith("kernel panic: VFS: Unable to mount root fs"));
        Assert.That(outcome.Note, Does.Contain("never reached the prompt"));
    }

    [TestCase("Infrastructure")]
    [TestCase("Configuration")]
    [TestCase("Bug")]
    [TestCase("Canceled")]
    [TestCase("SomethingNew")]
    public void An_incomplete_job_through_the_labs_fault_is_infra_error_even_with_reports_in_its_log(string errorType)
    {
        var log = TestLogs.WithJobResult(TestLogs.WithConsole(Clean, TestLogs.Warning), "fail", errorType, "Unable to power on qemu-01");
        var outcome = Outcome(LavaJobHealth.Incomplete, log);
        Assert.That(outcome.Verdict, Is.EqualTo(Verdicts.InfraError));
        Assert.That(outcome.Note, Does.Contain(errorType).And.Contain("Unable to power on qemu-01").And.Contain("qemu-01"));
        Assert.That(outcome.Reports, Is.Empty);
    }

    [Test]
    public void A_cancelled_job_or_one_without_its_result_is_infra_error()
    {
        Assert.That(Outcome(LavaJobHealth.Canceled, Clean).Verdict, Is.EqualTo(Verdicts.InfraError));
        var cut = string.Join('\n', Clean.Split('\n').Where(l => !l.Contains("\"case\": \"job\"", StringComparison.Ordinal)));
        Assert.That(Outcome(LavaJobHealth.Incomplete, cut).Note, Does.Contain("no job result"));
    }

    [Test]
    public void A_shell_that_stopped_answering_after_boot_is_a_wedge_and_a_report_beats_it()
    {
        var timedOut = TestLogs.WithJobResult(Clean, "fail", "LAVATimeout", "lava-test-interactive timed out after 190 seconds");
        Assert.That(Outcome(LavaJobHealth.Incomplete, timedOut).Verdict, Is.EqualTo(Verdicts.Wedge));
        Assert.That(Outcome(LavaJobHealth.Incomplete, TestLogs.WithConsole(timedOut, TestLogs.Warning)).Verdict, Is.EqualTo(Verdicts.Report));
    }

    [Test]
    public void A_job_error_before_the_board_printed_anything_is_infra_error_not_no_boot()
    {
        // Real: LAVA calls an artifact URL that answers 404 a "Job" error, as it does a kernel that never boots.
        var outcome = Outcome(LavaJobHealth.Incomplete, TestLogs.Read("missing-artifact.yaml"));
        Assert.That(outcome.Verdict, Is.EqualTo(Verdicts.InfraError));
        Assert.That(outcome.Note, Does.Contain("before the board printed anything").And.Contain("Resource unavailable at 'http://127.0.0.1:18765/NoSuchImage' (404)"));
    }

    [Test]
    public void A_job_still_running_has_no_outcome() =>
        Assert.That(() => LavaProbeOutcome.From(Finished(LavaJobHealth.Unknown) with { State = LavaJobState.Running }, LavaLog.Parse(Clean), TestLogs.CleanJob, [], new HashSet<string>()),
            Throws.InvalidOperationException);
}
