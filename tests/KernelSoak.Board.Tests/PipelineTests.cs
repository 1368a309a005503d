namespace KernelSoak.Board.Tests;

/// <summary>
/// series.pipeline = true on the emulated board: while the bad end (0002) is probed, the midpoint a report there leads
/// to (0001) is built in the background in the second tree; the search answers as it does without it.
/// </summary>
[TestFixture, NonParallelizable, Order(10)]
public class PipelineTests
{
    [Test]
    public void A_search_with_builds_pipelined_prebuilds_the_next_midpoint_and_answers_as_without()
    {
        using var campaign = new E2eCampaign("e2e", text => E2eCampaign.BinaryOverTwoPatches(text)
            .Replace("baseline = false", "baseline = false\npipeline = true", StringComparison.Ordinal));
        var dryRun = campaign.Build("--target=Bisect", "--dryrun").Output;
        var (exit, output) = campaign.Build("--target=Bisect");
        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("prebuilding 0001 in the background"), "during the bad end's probe");
        Assert.That(output, Does.Contain("first bad patch 0002, 0001 clean (clean for "), "the answer of the search without prebuilds");
        Assert.That((campaign.Verdict("0001"), campaign.Verdict("0002")), Is.EqualTo(("clean", "report")));
        var journal = File.ReadAllText(Path.Combine(campaign.Dir, "journal"));
        Assert.That(journal, Does.Contain("\"step\":\"prebuild/0001\",\"fp\":\"\",\"event\":\"note\""), "journalled");
        Assert.That(journal, Does.Match("\"step\":\"prebuild/0001\".*\"note\":\"prebuild (built|stopped)\""), "it ended: done, or stopped by 0001's own apply");
        var runLog = File.ReadAllText(Path.Combine(campaign.Dir, "log", "run.log"));
        Assert.That(runLog, Does.Contain("nice -n 19 make -C ").And.Contain(".prebuild/.kernelsoak-build-e2e"), "its exact command line");
        Assert.That(File.Exists(Path.Combine(campaign.Dir, "log", "prebuild-0001.log")), Is.True, "make's output");
        campaign.AssertAnnounced(dryRun, why: " (a search's dry run shows its first probe: the same steps as every later one)");
    }
}
