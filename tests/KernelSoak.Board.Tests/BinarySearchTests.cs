namespace KernelSoak.Board.Tests;

/// <summary>
/// series.mode = "binary" on the emulated board: the bad end (the whole series) first, then the midpoint,
/// with every patch underneath applied in order. The lkdtm WARNING every kernel prints is suppressed by
/// title (the plan's R9 noise rule) instead of a baseline probe, to keep the run short.
/// </summary>
[TestFixture, NonParallelizable, Order(5)]
public class BinarySearchTests
{
    private E2eCampaign _campaign = null!;

    [OneTimeSetUp]
    public void WriteCampaign() => _campaign = new E2eCampaign("e2e", E2eCampaign.BinaryOverTwoPatches);

    [OneTimeTearDown]
    public void Remove() => _campaign.Dispose();

    [Test, Order(1)]
    public void Binary_search_verifies_the_bad_end_then_finds_the_first_bad_patch()
    {
        var (exit, output) = _campaign.Build("--target=Bisect");
        Assert.That(exit, Is.Zero, "the search completed");
        Assert.That(output, Does.Contain("binary search: verify the bad end first: the whole series (0002)"));
        Assert.That(output, Does.Contain("binary search: bad at 0002, good at the base: probe 0001"));
        Assert.That(output, Does.Contain("first bad patch 0002, 0001 clean (clean for ").And.Contain("probability that this answer is wrong: "));
        Assert.That((_campaign.Verdict("0001"), _campaign.Verdict("0002")), Is.EqualTo(("clean", "report")));
    }

    [Test, Order(2)]
    public void A_finished_search_re_runs_without_probing()
    {
        var (exit, output) = _campaign.Build("--target=Bisect");
        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Contain("every probe was already recorded"));
        Assert.That(output, Does.Not.Contain("reboot issued").And.Not.Contain("building "));
    }
}
