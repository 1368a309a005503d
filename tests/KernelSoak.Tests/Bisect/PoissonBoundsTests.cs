using KernelSoak.Series;

namespace KernelSoak.Tests.Bisect;

public class PoissonBoundsTests
{
    [Test]
    public void Twenty_clean_seconds_rule_out_a_report_more_often_than_once_per_6_7_s()
    {
        Assert.That(PoissonBounds.RateUpperBound(20, 0.05), Is.EqualTo(-Math.Log(0.05) / 20).Within(1e-12));
        Assert.That(PoissonBounds.Describe(20, 0.05), Is.EqualTo("clean for 20 s: at 95 % confidence the report, if any, fires less often than once per 6.7 s"));
        Assert.That(PoissonBounds.Describe(1800, 0.01), Does.EndWith("at 99 % confidence the report, if any, fires less often than once per 391 s"));
    }

    [Test]
    public void A_probe_sized_to_a_rate_misses_it_with_the_asked_probability()
    {
        var seconds = PoissonBounds.SecondsToRuleOut(46, 0.05);
        Assert.That(seconds, Is.EqualTo(137.8).Within(0.1));
        Assert.That(PoissonBounds.MissProbability(46, seconds), Is.EqualTo(0.05).Within(1e-12));
        Assert.Throws<ArgumentOutOfRangeException>(() => PoissonBounds.SecondsToRuleOut(46, 1));
    }

    [Test]
    public void A_measured_rate_predicts_misses_from_its_posterior_and_is_more_careful_the_fewer_reports_it_has()
    {
        var one = new RateEstimate(1, 46, null);
        var ten = new RateEstimate(10, 460, null);
        Assert.That(one.MeanIntervalSeconds, Is.EqualTo(ten.MeanIntervalSeconds));
        Assert.That(one.MissProbability(one.CleanSecondsFor(0.05)!.Value), Is.EqualTo(0.05).Within(1e-9));
        Assert.That(one.CleanSecondsFor(0.05), Is.GreaterThan(ten.CleanSecondsFor(0.05)!.Value), "one report is a noisy measurement");
        Assert.That(ten.CleanSecondsFor(0.05), Is.GreaterThan(ten.PointCleanSecondsFor(0.05)!.Value), "the posterior is wider than the point estimate");
        Assert.That(new RateEstimate(0, 0, null).MissProbability(100), Is.Null, "no report, no assumption: unknown");
        Assert.That(new RateEstimate(0, 0, 46).MissProbability(137.8), Is.EqualTo(0.05).Within(1e-3));
    }
}
