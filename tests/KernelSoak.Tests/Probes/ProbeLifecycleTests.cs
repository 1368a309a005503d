using KernelSoak.Campaigns;
using KernelSoak.Journal;
using KernelSoak.Kernel;
using KernelSoak.Probes;
using KernelSoak.Series;
using KernelSoak.Soak;
using KernelSoak.Steps;
using KernelSoak.Tests.Steps;

namespace KernelSoak.Tests.Probes;

/// <summary>
/// The probe lifecycle without a board: the paths the e2e probes take (report, clean, wedge, no-boot,
/// build-failed, apply-failed, infra-error retried and exhausted, a resume after each journal state), run by
/// the real step runner against a real journal, with a scripted board and build host.
/// </summary>
public class ProbeLifecycleTests
{
    private sealed class LinkLost() : IOException("ssh: link lost");

    private string _dir = "";
    private SeriesSpec _series = null!;
    private ScriptedProbe _parts = null!;
    private MemoryPoints _points = null!;
    private SaidLines _said = null!;
    private int _sessionsDropped;

    private PatchRef P(int n) => _series.Patches[n - 1];

    [SetUp]
    public void Fresh()
    {
        _dir = Directory.CreateTempSubdirectory("ks-lifecycle-").FullName;
        _series = new SeriesSpec { Patches = [new PatchRef { Id = "0001" }, new PatchRef { Id = "0002" }, new PatchRef { Id = "0003" }] };
        _parts = new ScriptedProbe();
        _points = new MemoryPoints();
        _said = new SaidLines();
        _sessionsDropped = 0;
    }

    [TearDown]
    public void Remove() => Directory.Delete(_dir, recursive: true);

    /// <summary>One run of the task: a new runner on the campaign's journal, as a re-run of the command would have.</summary>
    private async Task<Exception?> Probe(PatchRef patch, ProbeNext? next = null, CancellationTokenSource? cancel = null)
    {
        using var journal = RunJournal.Open(Path.Combine(_dir, "journal"));
        var runner = new StepRunner(journal, _said, dryRun: false);
        var ct = cancel?.Token ?? CancellationToken.None;
        var lifecycle = new ProbeLifecycle(_series, [], 60, _parts, _points, _said);
        try
        {
            await lifecycle.RunAsync(patch, new HashSet<string>(), next, steps => runner.RunAsync(steps, ct), e => e is IOException, () => _sessionsDropped++, ct);
            return null;
        }
        catch (Exception e) { return e; }
    }

    private static string[] Sequence(string id, string probe) =>
        [$"bisect/{id}/apply", $"bisect/{id}/build", $"bisect/{id}/install/image", $"{probe}/boot", $"{probe}/stress", $"{probe}/harvest"];

    [TestCase(Verdicts.Clean)]
    [TestCase(Verdicts.Report)]
    [TestCase(Verdicts.Wedge)]
    [TestCase(Verdicts.NoBoot)]
    public async Task A_probe_runs_apply_to_harvest_in_order_and_its_harvest_is_the_points_verdict(string verdict)
    {
        _parts.Harvest = _ => verdict == Verdicts.Report ? ScriptedProbe.Outcome(verdict, "KASAN: slab-use-after-free in lkdtm_do_action") : ScriptedProbe.Outcome(verdict);

        Assert.That(await Probe(P(2)), Is.Null);

        Assert.That(_parts.Ran, Is.EqualTo(Sequence("0002", "bisect/0002")));
        var record = _points.Records["0002"];
        Assert.That(record.Verdict, Is.EqualTo(verdict));
        Assert.That(record.Probes.Single().Dir, Is.EqualTo("/artifacts/bisect/0002"));
        if (verdict == Verdicts.Report) Assert.That(record.Note, Does.Contain("slab-use-after-free"));
        if (verdict == Verdicts.Clean) Assert.That(record.Note, Does.StartWith("0002 passed 1/1"));
        Assert.That(_said.Lines, Has.Some.StartsWith($"verdict 0002: {verdict}"));
    }

    [Test]
    public async Task A_kernel_that_does_not_build_is_the_points_verdict_and_nothing_is_installed()
    {
        _parts.FailOnce("bisect/0002/build", new KernelBuildException("make: *** [drivers/misc/lkdtm/bugs.o] Error 1\nmore"));

        var e = await Probe(P(2));

        Assert.That(e, Is.TypeOf<ProbeStoppedException>().And.Property("Why").EqualTo(ProbeStop.BuildFailed));
        Assert.That(e!.Message, Does.StartWith("patch 0002: verdict build-failed."));
        Assert.That(_points.Records["0002"].Verdict, Is.EqualTo(Verdicts.BuildFailed));
        Assert.That(_points.Records["0002"].Note, Is.EqualTo("make: *** [drivers/misc/lkdtm/bugs.o] Error 1"), "the note is the error's first line");
        Assert.That(_parts.Ran, Is.EqualTo(new[] { "bisect/0002/apply", "bisect/0002/build" }));
        Assert.That(_points.Records["0002"].Untestable, Is.True);
    }

    [Test]
    public async Task A_patch_that_does_not_apply_is_untestable_and_nothing_is_built()
    {
        _parts.FailOnce("bisect/0003/apply", new PatchApplyException("0003 does not apply: drivers/misc/lkdtm/bugs.c: patch does not apply"));

        var e = await Probe(P(3));

        Assert.That(e, Is.TypeOf<ProbeStoppedException>().And.Property("Why").EqualTo(ProbeStop.ApplyFailed));
        Assert.That(_points.Records["0003"].Verdict, Is.EqualTo(Verdicts.ApplyFailed));
        Assert.That(_parts.Ran, Is.EqualTo(new[] { "bisect/0003/apply" }));
    }

    [Test]
    public async Task Infra_trouble_is_journalled_and_the_retry_resumes_at_the_step_that_failed()
    {
        _parts.FailOnce("bisect/0001/stress", new LinkLost());

        Assert.That(await Probe(P(1)), Is.Null);

        Assert.That(_parts.InfraNotes, Is.EqualTo(new[] { "0001: ssh: link lost" }));
        Assert.That(_sessionsDropped, Is.EqualTo(1), "the board's session is dropped before the retry");
        // apply, build, install and boot ran once: the retry skipped what the journal says is done.
        Assert.That(_parts.Ran, Is.EqualTo(Sequence("0001", "bisect/0001").Take(5).Concat(["bisect/0001/stress", "bisect/0001/harvest"])));
        Assert.That(_points.Records["0001"].Verdict, Is.EqualTo(Verdicts.Clean));
    }

    [Test]
    public async Task Infra_trouble_past_the_retries_is_an_infra_error_and_never_a_verdict()
    {
        _series.InfraRetries = 1;
        _parts.FailOnce("bisect/0001/boot", new LinkLost());
        _parts.FailOnce("bisect/0001/boot", new LinkLost());

        var e = await Probe(P(1));

        Assert.That(e, Is.TypeOf<ProbeStoppedException>().And.Property("Why").EqualTo(ProbeStop.InfraError));
        Assert.That(e!.Message, Does.Contain("infra-error, not a verdict (ssh: link lost)").And.Contain("tried 2 time(s)"));
        Assert.That(_points.Records, Is.Empty);
        Assert.That(_parts.InfraNotes, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_failure_that_is_neither_the_patchs_nor_the_labs_goes_up_unchanged_with_no_verdict()
    {
        _parts.FailOnce("bisect/0001/harvest", new InvalidOperationException("a bug"));
        Assert.That(await Probe(P(1)), Is.TypeOf<InvalidOperationException>());
        Assert.That(_points.Records, Is.Empty);
        Assert.That(_parts.InfraNotes, Is.Empty);
    }

    /// <summary>Each step of the probe in turn is interrupted (Ctrl+C); the re-run redoes that step and what follows, nothing before it.</summary>
    [Test]
    public async Task A_rerun_after_an_interruption_in_each_step_resumes_at_that_step()
    {
        var steps = Sequence("0001", "bisect/0001");
        for (var k = 0; k < steps.Length; k++)
        {
            if (k > 0) { Remove(); Fresh(); }
            using var cancel = new CancellationTokenSource();
            var interrupted = steps[k];
            _parts.FailOnce(interrupted, () => { cancel.Cancel(); return new OperationCanceledException(cancel.Token); });

            var e = await Probe(P(1), cancel: cancel);
            Assert.That(e, Is.TypeOf<StepInterruptedException>().And.Property("Step").EqualTo(interrupted), interrupted);
            Assert.That(_points.Records, Is.Empty, $"interrupted in {interrupted}: no verdict");
            _parts.Ran.Clear();

            Assert.That(await Probe(P(1)), Is.Null, interrupted);
            Assert.That(_parts.Ran, Is.EqualTo(steps.Skip(k)), $"after an interruption in {interrupted}");
            Assert.That(_said.Lines, Has.Some.EqualTo($"WARN resuming {interrupted}: the previous run stopped inside it"));
            Assert.That(_points.Records["0001"].Verdict, Is.EqualTo(Verdicts.Clean));
        }
    }

    [Test]
    public async Task A_make_killed_by_ctrl_c_is_no_build_failure()
    {
        using var cancel = new CancellationTokenSource();
        _parts.FailOnce("bisect/0001/build", () => { cancel.Cancel(); return new KernelBuildException("make: *** [Makefile] Interrupt"); });
        Assert.That(await Probe(P(1), cancel: cancel), Is.TypeOf<StepInterruptedException>());
        Assert.That(_points.Records, Is.Empty);
    }

    [Test]
    public async Task A_point_already_judged_and_one_above_a_bad_point_are_not_probed_again()
    {
        _parts.Harvest = p => p.Contains("0002") ? ScriptedProbe.Outcome(Verdicts.Report, "KASAN: use-after-free") : ScriptedProbe.Outcome(Verdicts.Clean);
        await Probe(P(2));
        _parts.Ran.Clear();

        Assert.That(await Probe(P(2)), Is.Null);
        Assert.That(await Probe(P(3)), Is.Null);

        Assert.That(_parts.Ran, Is.Empty);
        Assert.That(_said.Lines, Has.Some.StartsWith("0002: verdict report already recorded"));
        Assert.That(_said.Lines, Has.Some.EqualTo("WARN 0003 not probed: 0002 was already report and series.stop_at_first_bad is on"));

        _series.StopAtFirstBad = false;
        Assert.That(await Probe(P(3)), Is.Null);
        Assert.That(_points.Records["0003"].Verdict, Is.EqualTo(Verdicts.Clean), "with stop_at_first_bad off the walk goes on");
    }

    [Test]
    public async Task A_walk_with_attempts_boots_each_one_and_the_first_bad_attempt_decides()
    {
        _series.Attempts = 3;
        _parts.Harvest = p => p[^1] switch
        {
            '2' => ScriptedProbe.Outcome(Verdicts.Wedge),
            '3' => ScriptedProbe.Outcome(Verdicts.Report, "KASAN: use-after-free in lkdtm_do_action"),
            _ => ScriptedProbe.Outcome(Verdicts.Clean),
        };

        await Probe(P(1));

        Assert.That(_parts.Probes.Select(p => p.Probe), Is.EqualTo(new[] { "bisect/0001/attempt-1", "bisect/0001/attempt-2", "bisect/0001/attempt-3" }));
        Assert.That(_points.Records["0001"].Verdict, Is.EqualTo(Verdicts.Wedge), "attempt 2's wedge, not attempt 3's report");
        Assert.That(_points.Records["0001"].Probes.Select(p => p.Number), Is.EqualTo(new[] { 1, 2, 3 }));
    }

    [Test]
    public async Task A_search_probe_is_sized_by_the_search_and_joins_the_points_record()
    {
        _series.Mode = SearchMode.Binary;
        var next = new ProbeNext(1, 45, ProbePurpose.BadEnd, "is there a bug at all?");

        await Probe(P(2), next);
        await Probe(P(2), next with { Seconds = 90 });

        Assert.That(_parts.Probes.Select(p => (p.Probe, p.Window!.Seconds)), Is.EqualTo(new[] { ("bisect/0002/probe-1", 45.0), ("bisect/0002/probe-2", 90.0) }));
        Assert.That(_parts.Ran, Does.Contain("bisect/0002/probe-2/harvest"));
        Assert.That(_parts.Ran.Count(s => s == "bisect/0002/build"), Is.EqualTo(1), "the second probe boots the kernel the first built");
        var record = _points.Records["0002"];
        Assert.That(record.Probes.Select(p => (p.Number, p.RequestedSeconds)), Is.EqualTo(new[] { (1, 45.0), (2, 90.0) }));
        Assert.That(record.Verdict, Is.EqualTo(Verdicts.Clean));
    }

    [Test]
    public async Task The_baseline_is_probed_once_and_its_reports_are_named_on_a_rerun()
    {
        _parts.Harvest = _ => ScriptedProbe.Outcome(Verdicts.Report, "WARNING in lkdtm_WARNING");
        var lifecycle = new ProbeLifecycle(_series, [], 60, _parts, _points, _said);

        Assert.That(lifecycle.BaselineSteps().Select(s => s.Id), Is.EqualTo(new[] { "baseline/boot", "baseline/stress", "baseline/harvest" }));
        using (var journal = RunJournal.Open(Path.Combine(_dir, "journal")))
            await new StepRunner(journal, _said, dryRun: false).RunAsync(lifecycle.BaselineSteps());

        Assert.That(lifecycle.BaselineSteps(), Is.Empty);
        Assert.That(_said.Lines, Has.Some.EqualTo("baseline: already probed (report: WARNING in lkdtm_WARNING); nothing to redo"));
    }

    [Test]
    public void A_baseline_whose_harvest_never_ended_is_probed_again()
    {
        _parts.HarvestedUnfinished(ProbeLifecycle.BaselineProbe, ScriptedProbe.Outcome(Verdicts.Clean));
        var lifecycle = new ProbeLifecycle(_series, [], 60, _parts, _points, _said);
        Assert.That(lifecycle.BaselineSteps().Select(s => s.Id), Is.EqualTo(new[] { "baseline/boot", "baseline/stress", "baseline/harvest" }));
    }
}
