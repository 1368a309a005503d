using KernelSoak.Soak;

namespace KernelSoak.Tests.Bisect;

/// <summary>A point's verdict from its probes: the sequential walk's attempts, the binary search's accumulated probes.</summary>
public class PointVerdictTests
{
    private static readonly ReportSummary Uaf = new("KASAN", "KASAN: use-after-free Read in lkdtm_UAF", null, "ssh", 1, "BUG: KASAN", "BUG: KASAN …");

    private static ProbeRun Run(int n, string verdict, double stress, double requested = 60, string? note = null, params TimedReport[] timeline) =>
        new(n, verdict, requested, stress, verdict == Verdicts.Report ? [Uaf] : [], timeline, "/tmp", note);

    [Test]
    public void Attempts_clean_only_when_every_attempt_was_harvested_clean()
    {
        var both = PointVerdict.OfAttempts("0003", [Run(1, Verdicts.Clean, 60), Run(2, Verdicts.Clean, 60)], 2, 0.05);
        Assert.That((both.Verdict, both.Bad), Is.EqualTo((Verdicts.Clean, (ProbeRun?)null)));
        Assert.That(both.Note, Does.StartWith("0003 passed 2/2: "));
        var one = PointVerdict.OfAttempts("0003", [Run(1, Verdicts.Clean, 60)], 2, 0.05);
        Assert.That(one.Verdict, Is.EqualTo(Verdicts.InfraError), "an attempt not harvested: no verdict");
        Assert.That(one.Note, Does.StartWith("0003 passed 1/2"));
    }

    [Test]
    public void Attempts_the_first_attempt_not_clean_decides_and_names_its_report()
    {
        var bad = PointVerdict.OfAttempts("0004", [Run(1, Verdicts.Clean, 60), Run(2, Verdicts.Report, 12), Run(3, Verdicts.Wedge, 30, note: "no SSH answer")], 3, 0.05);
        Assert.That((bad.Verdict, bad.Bad?.Number, bad.Note), Is.EqualTo((Verdicts.Report, (int?)2, $"bad at 0004 ({Uaf.Title})")));
        var wedge = PointVerdict.OfAttempts("0004", [Run(1, Verdicts.Wedge, 30, note: "no SSH answer for 31 s")], 1, 0.05);
        Assert.That(wedge.Note, Is.EqualTo("bad at 0004 (no SSH answer for 31 s)"), "without a report, the probe's note");
    }

    [Test]
    public void Probes_bad_as_soon_as_one_is_and_infra_errors_are_no_evidence()
    {
        var infra = PointVerdict.OfProbes("0002", [Run(1, Verdicts.InfraError, 0), Run(2, Verdicts.Clean, 40, requested: 60)], 0.05);
        Assert.That(infra.Verdict, Is.EqualTo(Verdicts.Clean), "an infra-error probe neither condemns nor clears");
        Assert.That(infra.Note, Is.EqualTo(Series.PoissonBounds.Describe(60, 0.05)), "a clean probe counts the stress asked for when it measured less");
        var bad = PointVerdict.OfProbes("0002", [Run(1, Verdicts.Clean, 60), Run(2, Verdicts.Report, 7, timeline: new TimedReport(Uaf.Title, 6.5))], 0.05);
        Assert.That((bad.Verdict, bad.Note), Is.EqualTo((Verdicts.Report, $"bad at 0002 ({Uaf.Title}) (first report 6.5 s into the stress)")));
        Assert.That(PointVerdict.FirstReportAt(Run(1, Verdicts.Clean, 60)), Is.Empty);
    }
}
