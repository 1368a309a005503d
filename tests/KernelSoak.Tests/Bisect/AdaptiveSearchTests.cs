using KernelSoak.Series;

namespace KernelSoak.Tests.Bisect;

public class AdaptiveSearchTests
{
    private static readonly SearchPolicy Policy = new(0.05, 1800, 60);
    private static List<string> Ids(int n) => [.. Enumerable.Range(1, n).Select(i => $"{i:0000}")];
    private static PointEvidence[] Empty(int n) => [.. Enumerable.Repeat(PointEvidence.None, n)];
    private static PointEvidence Clean(double s) => new([new ProbeObservation(s)]);
    private static PointEvidence Bad(double s, int reports = 1) => new([new ProbeObservation(s, reports)]);

    /// <summary>Runs the search to its answer against a deterministic bug: every probe at or after <paramref name="firstBad"/> reports at once.</summary>
    private static (SeriesAnswer Answer, List<ProbeNext> Probes) Search(int n, int? firstBad, SearchPolicy policy, Func<int, PointEvidence?>? fixedPoint = null)
    {
        var points = Enumerable.Range(0, n).Select(i => fixedPoint?.Invoke(i) ?? PointEvidence.None).ToArray();
        var probes = new List<ProbeNext>();
        while (true)
        {
            var decision = AdaptiveSearch.Next(Ids(n), points, policy);
            if (decision is SeriesAnswer a) return (a, probes);
            var p = (ProbeNext)decision;
            probes.Add(p);
            Assert.That(probes, Has.Count.LessThan(60), "the search ends");
            points[p.Index] = points[p.Index].With(firstBad is { } b && p.Index >= b ? new ProbeObservation(Math.Min(5, p.Seconds), 1) : new ProbeObservation(p.Seconds));
        }
    }

    [Test]
    public void The_bad_end_is_probed_first_for_the_campaigns_length()
    {
        var next = (ProbeNext)AdaptiveSearch.Next(Ids(8), Empty(8), Policy);
        Assert.That((next.Index, next.Seconds, next.Purpose), Is.EqualTo((7, 60.0, ProbePurpose.BadEnd)));
        Assert.That(next.Why, Does.StartWith("verify the bad end first: the whole series (0008)"));
    }

    [Test]
    public void A_clean_bad_end_says_what_rate_it_rules_out_and_that_its_error_is_unknown()
    {
        var points = Empty(4);
        points[3] = Clean(20);
        var answer = (SeriesAnswer)AdaptiveSearch.Next(Ids(4), points, Policy with { InitialProbeSeconds = 20 });
        Assert.That((answer.Kind, answer.FirstBad, answer.ProbabilityWrong), Is.EqualTo((AnswerKind.NoBadPatch, (int?)null, (double?)null)));
        Assert.That(answer.Why, Does.Contain("no bad patch (clean for 20 s: at 95 % confidence the report, if any, fires less often than once per 6.7 s)"));
        Assert.That(answer.Why, Does.Contain("no report was ever seen").And.Contain("wrong: unknown"));
    }

    [Test]
    public void Asked_to_soak_the_bad_end_it_stresses_on_up_to_the_budget_before_calling_the_series_clean()
    {
        var points = Empty(4);
        points[3] = Clean(20);
        var policy = Policy with { InitialProbeSeconds = 20, SoakBadEnd = true, MaxProbeSeconds = 600 };
        var more = (ProbeNext)AdaptiveSearch.Next(Ids(4), points, policy);
        Assert.That((more.Index, more.Seconds, more.Purpose), Is.EqualTo((3, 580.0, ProbePurpose.SoakBadEnd)));
        points[3] = points[3].With(new ProbeObservation(580));
        Assert.That(AdaptiveSearch.Next(Ids(4), points, policy), Is.TypeOf<SeriesAnswer>());
    }

    [Test]
    public void An_assumed_rate_sizes_the_bad_end_and_prices_a_clean_answer()
    {
        var policy = Policy with { AssumedIntervalSeconds = 46 };
        var next = (ProbeNext)AdaptiveSearch.Next(Ids(4), Empty(4), policy);
        Assert.That(next.Seconds, Is.EqualTo(137.8).Within(0.1));
        var points = Empty(4);
        points[3] = Clean(next.Seconds);
        var answer = (SeriesAnswer)AdaptiveSearch.Next(Ids(4), points, policy);
        Assert.That(answer.ProbabilityWrong, Is.EqualTo(0.05).Within(1e-3));
        Assert.That(answer.Why, Does.Contain("probability that this answer is wrong: 5 %"));
    }

    [Test]
    public void Finds_every_first_bad_position_of_a_bug_that_always_reports([Values(1, 2, 3, 4, 7, 8, 16, 64)] int n)
    {
        for (var bad = 0; bad < n; bad++)
        {
            var (answer, probes) = Search(n, bad, Policy);
            Assert.That(answer.FirstBad, Is.EqualTo(bad), $"{n} patches, first bad {bad}");
            Assert.That(answer.ProbabilityWrong, Is.LessThanOrEqualTo(0.05), answer.Why);
            Assert.That(probes[0].Index, Is.EqualTo(n - 1));
        }
    }

    [Test]
    public void The_clean_neighbour_of_the_answer_is_soaked_until_the_answer_is_wrong_with_at_most_the_miss_probability()
    {
        var points = Empty(8);
        points[7] = Bad(30);
        points[3] = Bad(40);
        points[1] = Clean(60);
        points[2] = Clean(60);
        var next = (ProbeNext)AdaptiveSearch.Next(Ids(8), points, Policy);
        Assert.That((next.Index, next.Purpose), Is.EqualTo((2, ProbePurpose.Confirm)));
        Assert.That(next.Why, Does.StartWith("first bad patch 0004 if 0003 is really clean: soak 0003"));
        points[2] = points[2].With(new ProbeObservation(next.Seconds));
        var answer = (SeriesAnswer)AdaptiveSearch.Next(Ids(8), points, Policy);
        Assert.That((answer.FirstBad, answer.LastClean), Is.EqualTo(((int?)3, 2)));
        Assert.That(answer.ProbabilityWrong, Is.LessThanOrEqualTo(0.05).And.GreaterThan(0.01), "sized to the target, not far beyond it");
        Assert.That(answer.Why, Does.StartWith("first bad patch 0004, 0003 clean (clean for"));
    }

    [Test]
    public void A_report_that_needed_long_stress_makes_later_probes_longer()
    {
        var fast = Empty(16);
        fast[15] = Bad(5);
        var slow = Empty(16);
        slow[15] = Bad(500);
        var a = (ProbeNext)AdaptiveSearch.Next(Ids(16), fast, Policy);
        var b = (ProbeNext)AdaptiveSearch.Next(Ids(16), slow, Policy);
        Assert.That((a.Index, b.Index), Is.EqualTo((7, 7)));
        Assert.That(b.Seconds, Is.GreaterThan(a.Seconds * 10));
        Assert.That(b.Seconds, Is.LessThanOrEqualTo(1800), "within series.max_probe_s");
    }

    [Test]
    public void An_untestable_midpoint_is_skipped_for_its_neighbour()
    {
        var points = Empty(8);
        points[7] = Bad(5);
        points[3] = new PointEvidence([], Untestable.BuildFailed);
        var next = (ProbeNext)AdaptiveSearch.Next(Ids(8), points, Policy);
        Assert.That(next.Index, Is.EqualTo(2), "the nearest testable point, the lower one on a tie");
        Assert.That(next.Why, Does.Contain("probe 0003 (0004: build-failed cannot be tested) for"));
    }

    [Test]
    public void Untestable_points_next_to_the_answer_leave_a_range_that_is_named()
    {
        var (answer, _) = Search(8, 4, Policy, i => i is 2 or 3 ? new PointEvidence([], i == 2 ? Untestable.ApplyFailed : Untestable.BuildFailed) : null);
        Assert.That((answer.FirstBad, answer.LastClean, answer.Skipped), Is.EqualTo(((int?)4, 1, new[] { 2, 3 })));
        Assert.That(answer.Why, Does.StartWith("first bad patch one of 0003…0005 (0003: apply-failed, 0004: build-failed cannot be tested), 0002 clean"));
    }

    [Test]
    public void An_untestable_bad_end_is_never_called_bad_and_the_highest_testable_point_stands_in()
    {
        // As a series whose second patch does not apply: nothing above it can be built.
        var untestable = new PointEvidence([], Untestable.ApplyFailed);
        var (answer, probes) = Search(4, null, Policy, i => i >= 1 ? untestable : null);
        Assert.That(probes.Select(p => p.Index), Is.EqualTo(new[] { 0 }));
        Assert.That((answer.Kind, answer.FirstBad), Is.EqualTo((AnswerKind.NoBadPatch, (int?)null)));
        Assert.That(answer.Why, Does.Contain("0002: apply-failed, 0003: apply-failed, 0004: apply-failed cannot be tested, the bug may be there"));
        var nothing = (SeriesAnswer)AdaptiveSearch.Next(Ids(2), [untestable, untestable], Policy);
        Assert.That(nothing.Kind, Is.EqualTo(AnswerKind.NothingTestable));
    }

    [Test]
    public void A_no_boot_is_bad_without_a_rate_so_the_answer_does_not_claim_a_confidence()
    {
        var (answer, _) = Search(4, null, Policy, i => i >= 2 ? new PointEvidence([], FailedOutright: true) : null);
        Assert.That(answer.FirstBad, Is.EqualTo(2));
        Assert.That(answer.ProbabilityWrong, Is.Null);
    }

    [Test]
    public void The_search_is_a_function_of_the_evidence_so_a_killed_run_resumes_where_it_was()
    {
        var points = Empty(8);
        points[7] = Bad(12);
        points[3] = Clean(90);
        var first = (ProbeNext)AdaptiveSearch.Next(Ids(8), points, Policy);
        var again = (ProbeNext)AdaptiveSearch.Next(Ids(8), [.. points], Policy);
        Assert.That(again, Is.EqualTo(first));
        Assert.That(first.Index, Is.EqualTo(5), "between 0004 (good) and 0008 (bad): 0006");
    }
}
