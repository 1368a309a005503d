using KernelSoak.Series;
using KernelSoak.Soak;

namespace KernelSoak.Tests.Bisect;

/// <summary>A point's record is keyed by what was built there; the search counts it by the campaign's hunt.</summary>
public class PointRecordsTests
{
    private static readonly ReportSummary Uaf = new("KASAN", "KASAN: use-after-free Read in lkdtm_WARNING_MESSAGE", null, "ssh", 2, "BUG: KASAN", "BUG: KASAN …");
    private static readonly ReportSummary Warn = new("WARNING", "WARNING in lkdtm_WARNING_MESSAGE", null, "ssh", 1, "WARNING", "WARNING …");
    private static readonly HuntRule UafOnly = HuntRule.Parse("^KASAN: use-after-free");

    private static ProbeRun Run(int n, string verdict, double seconds, params TimedReport[] timeline) =>
        new(n, verdict, 60, seconds, [.. timeline.Select(t => t.Title == Uaf.Title ? Uaf : Warn).DistinctBy(r => r.Title)], timeline, "/tmp", null);

    [Test]
    public void A_patch_replaced_under_the_same_id_is_not_judged_by_its_predecessors_record()
    {
        var dir = Directory.CreateTempSubdirectory("ks-points-").FullName;
        var original = PointRecords.Key("base1", ["hash-0004", "hash-0005"], "kernel");
        var replaced = PointRecords.Key("base1", ["hash-0004", "hash-0005-v2"], "kernel");
        PointRecords.Save(dir, new PointRecord("0005", original, Verdicts.ApplyFailed, "does not apply", []));

        Assert.That(PointRecords.Load(dir, "0005", original)?.Verdict, Is.EqualTo(Verdicts.ApplyFailed));
        Assert.That(PointRecords.Load(dir, "0005", replaced), Is.Null, "new bytes under the same id: probe it anew");
        Assert.That(PointRecords.Load(dir, "0005", PointRecords.Key("base2", ["hash-0004", "hash-0005"], "kernel")), Is.Null, "another base");
        Assert.That(PointRecords.Load(dir, "0005", PointRecords.Key("base1", ["hash-0004", "hash-0005"], "kernel+KCSAN")), Is.Null, "other kernel inputs");
        Assert.That(PointRecords.Key("base1", ["a", "b"], "k"), Is.Not.EqualTo(PointRecords.Key("base1", ["b", "a"], "k")), "order matters");
        File.WriteAllText(PointRecords.PathOf(dir, "0005"), """{"patch":"0005","verdict":"apply-failed","note":"","reports":[]}""");
        Assert.That(PointRecords.Load(dir, "0005", original), Is.Null, "a record from before keys is not evidence");
        Directory.Delete(dir, true);
    }

    [Test]
    public void The_summary_seconds_are_the_probes_real_stress_time()
    {
        var record = new PointRecord("0002", "k", Verdicts.Report, "", [Run(1, Verdicts.Clean, 61.5), Run(2, Verdicts.Report, 12.25, new TimedReport(Uaf.Title, 12))]);
        Assert.That(record.StressSeconds, Is.EqualTo(73.75));
    }

    [Test]
    public void Only_hunted_reports_steer_and_each_occurrence_counts_toward_the_rate()
    {
        var record = new PointRecord("0002", "k", Verdicts.Report, "", [
            Run(1, Verdicts.Report, 40, new TimedReport(Warn.Title, 3)),
            Run(2, Verdicts.Report, 90, new TimedReport(Uaf.Title, 30), new TimedReport(Uaf.Title, 75)),
        ]);
        var any = PointRecords.Evidence(record, HuntRule.Any);
        Assert.That(any.Probes.Select(p => (p.StressSeconds, p.HuntedReports)), Is.EqualTo(new[] { (40.0, 1), (90.0, 2) }));
        var hunted = PointRecords.Evidence(record, UafOnly);
        Assert.That(hunted.Probes.Select(p => p.HuntedReports), Is.EqualTo(new[] { 0, 2 }));
        var warningOnly = record with { Probes = [record.Probes[0]] };
        Assert.That(PointRecords.Evidence(warningOnly, UafOnly).Bad, Is.False, "a report of another title is recorded, not steering");
        Assert.That(PointRecords.Evidence(warningOnly, UafOnly).Clean, Is.True);
    }

    [Test]
    public void A_clean_window_that_ran_to_its_end_counts_the_length_it_was_given()
    {
        var record = new PointRecord("0001", "k", Verdicts.Clean, "", [Run(1, Verdicts.Clean, 59.7)]);
        Assert.That(PointRecords.Evidence(record, HuntRule.Any).StressSeconds, Is.EqualTo(60));
    }

    [Test]
    public void Untestable_verdicts_skip_the_point_and_a_no_boot_is_bad_only_when_any_report_is_hunted()
    {
        Assert.That(PointRecords.Evidence(new PointRecord("0003", "k", Verdicts.ApplyFailed, "", []), HuntRule.Any).CannotTest, Is.EqualTo(Untestable.ApplyFailed));
        Assert.That(PointRecords.Evidence(new PointRecord("0003", "k", Verdicts.BuildFailed, "", []), HuntRule.Any).CannotTest, Is.EqualTo(Untestable.BuildFailed));
        var noBoot = new PointRecord("0004", "k", Verdicts.NoBoot, "", [Run(1, Verdicts.NoBoot, 0)]);
        Assert.That(PointRecords.Evidence(noBoot, HuntRule.Any).Bad, Is.True);
        Assert.That(PointRecords.Evidence(noBoot, UafOnly).CannotTest, Is.EqualTo(Untestable.NoBoot));
        var wedge = new PointRecord("0004", "k", Verdicts.Wedge, "", [Run(1, Verdicts.Wedge, 25)]);
        Assert.That(PointRecords.Evidence(wedge, HuntRule.Any).Probes.Single(), Is.EqualTo(new ProbeObservation(25, 1)));
        Assert.That(PointRecords.Evidence(wedge, UafOnly).Bad, Is.False);
        var pstore = new PointRecord("0004", "k", Verdicts.Report, "", [new ProbeRun(1, Verdicts.Report, 60, 33, [Uaf], [], "/tmp", null)]);
        Assert.That(PointRecords.Evidence(pstore, UafOnly).Probes.Single(), Is.EqualTo(new ProbeObservation(33, 1)), "a report only pstore caught counts once");
    }

    private static PointRecord Point(string verdict, params int[] probes) =>
        new("0002", "k", verdict, "", [.. probes.Select(n => new ProbeRun(n, Verdicts.Clean, 60, 60, [], [], "/tmp", null))]);

    [Test]
    public void An_untestable_point_settles_every_probe_and_a_probed_one_only_its_own()
    {
        Assert.That(Point(Verdicts.ApplyFailed).Settles(3), Is.True, "apply-failed: nothing to probe");
        Assert.That(Point(Verdicts.BuildFailed).Untestable, Is.True);
        Assert.That(Point(Verdicts.Clean, 1, 2).Settles(2), Is.True);
        Assert.That(Point(Verdicts.Clean, 1, 2).Settles(3), Is.False, "probe 3 still to run");
        Assert.That(Point(Verdicts.Report, 1).Untestable, Is.False);
    }

    [Test]
    public void A_probe_run_advanced_the_record_only_by_a_new_probe_or_an_untestable_verdict()
    {
        Assert.That(PointRecord.Advanced(null, 0), Is.False, "no record at all");
        Assert.That(PointRecord.Advanced(Point(Verdicts.Clean, 1), 1), Is.False, "the same probes as before");
        Assert.That(PointRecord.Advanced(Point(Verdicts.Clean, 1, 2), 1), Is.True);
        Assert.That(PointRecord.Advanced(Point(Verdicts.BuildFailed), 0), Is.True, "build-failed is the point's answer");
    }

    [Test]
    public void The_series_verdict_is_the_first_bad_points_or_clean()
    {
        Assert.That(PointRecord.SeriesVerdict(Point(Verdicts.Wedge, 1), anyBad: true), Is.EqualTo(Verdicts.Wedge));
        Assert.That(PointRecord.SeriesVerdict(null, anyBad: true), Is.EqualTo(Verdicts.Report), "a bad point whose record is gone");
        Assert.That(PointRecord.SeriesVerdict(null, anyBad: false), Is.EqualTo(Verdicts.Clean));
    }
}
