using LibGit2Sharp;

namespace KernelSoak.Board.Tests;

/// <summary>
/// The seed plan's step 2.x on the emulated board with tests/patches: the unpatched baseline, then each
/// patch on top of the ones before — clean, report, apply-failed — and a re-run that redoes nothing.
/// </summary>
[TestFixture, NonParallelizable, Order(2)]
public class BisectTests
{
    private E2eCampaign _campaign = null!;

    [OneTimeSetUp]
    public void WriteCampaign() => _campaign = new E2eCampaign("e2e");

    [OneTimeTearDown]
    public void Remove() => _campaign.Dispose();

    private string _dryRun = "";

    [Test, Order(1)]
    public void Walking_to_0002_gives_clean_then_report_with_the_baseline_warning_as_pre_existing()
    {
        _dryRun = _campaign.Build("--target=Bisect0002", "--dryrun").Output;
        var (exit, output) = _campaign.Build("--target=Bisect0002");
        Assert.That(exit, Is.Zero, "the walk completed");
        Assert.That(output, Does.Contain("REPORT WARNING: WARNING in lkdtm_WARNING_MESSAGE"), "the unpatched kernel already WARNs");
        Assert.That(output, Does.Contain("applied 0001"));
        Assert.That(output, Does.Contain("(pre-existing: also on the baseline)"));
        Assert.That(_campaign.Verdict("0001"), Is.EqualTo("clean"), "its only report was pre-existing");
        Assert.That(output, Does.Contain("REPORT KASAN: KASAN: use-after-free Read in lkdtm_WARNING_MESSAGE"));
        Assert.That(_campaign.Verdict("0002"), Is.EqualTo("report"));
        var summary = File.ReadAllText(Path.Combine(_campaign.Dir, "bisect", "summary.md"));
        Assert.That(summary, Does.Contain("first bad patch 0002 (report)"));
        Assert.That(summary, Does.Contain("| 0001 | 1 | clean |"));
    }

    [Test, Order(2)]
    public void Every_command_the_walk_ran_was_printed_by_its_dry_run_before()
    {
        Assert.That(_dryRun, Does.Contain("step bisect/0002/apply"), "the dry run of the first test ran");
        _campaign.AssertAnnounced(_dryRun);
    }

    [Test, Order(3)]
    public void A_patch_that_does_not_apply_is_named_with_its_hunk_and_the_tree_is_left_clean()
    {
        var (exit, output) = _campaign.Build("--target=Bisect0003");
        Assert.That(exit, Is.Not.Zero);
        Assert.That(output, Does.Contain("patch 0003").And.Contain("0003-does-not-apply.patch").And.Contain("does not apply"));
        Assert.That(output, Does.Contain("drivers/misc/lkdtm/bugs.c"), "the file of the failing hunk");
        Assert.That(_campaign.Verdict("0003"), Is.EqualTo("apply-failed"));
        Assert.That(output, Does.Contain("0001: verdict clean already recorded").And.Contain("0002: verdict report already recorded"),
            "earlier probes are not redone");
        using var repo = new Repository(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "kernelsoak", "trees", _campaign.Id));
        Assert.That(repo.RetrieveStatus(new StatusOptions()).IsDirty, Is.False, "the work tree is clean");
        Assert.That(repo.Head.Tip.MessageShort, Does.Contain("use-after-free"), "still at 0002");
    }

    [Test, Order(4)]
    public void Re_running_a_finished_walk_redoes_nothing()
    {
        var (exit, output) = _campaign.Build("--target=Bisect0002");
        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Not.Contain("building "), "nothing is compiled");
        Assert.That(output, Does.Not.Contain("reboot issued"), "the board is not rebooted");
        Assert.That(output, Does.Contain("0002: verdict report already recorded"));
        Assert.That(output, Does.Contain("baseline: already probed (report: WARNING in lkdtm_WARNING_MESSAGE)"),
            "the baseline is not stressed again on a patched tree");
        Assert.That(output, Does.Not.Contain("window over"), "no stress window at all");
    }
}
