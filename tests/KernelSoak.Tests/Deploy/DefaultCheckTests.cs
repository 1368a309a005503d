using KernelSoak.Boot;
using KernelSoak.Deploy;

namespace KernelSoak.Tests.Deploy;

/// <summary>Preflight's default check: U-Boot must boot the campaign's default_label, by U-Boot's reading of the file.</summary>
public class DefaultCheckTests
{
    private const string RescueFirst = "timeout 30\nlabel rescue\n kernel /Image-rescue\nlabel known-good\n kernel /Image\n";

    [Test]
    public void A_board_that_boots_another_label_fails_preflight_naming_both()
    {
        var (passed, detail) = DefaultFlipJournal.CheckDefault(ExtlinuxConfig.Parse(RescueFirst), "known-good", null);
        Assert.That(passed, Is.False);
        Assert.That(detail, Does.Contain("U-Boot boots rescue (no default: the first label)").And.Contain("not the campaign's default_label known-good"));
    }

    [Test]
    public void A_trailing_default_counts()
    {
        var (passed, detail) = DefaultFlipJournal.CheckDefault(ExtlinuxConfig.Parse(RescueFirst + "default known-good\n"), "known-good", null);
        Assert.That((passed, detail), Is.EqualTo((true, "boots known-good ('default' on line 6)")));
    }

    [Test]
    public void A_flip_of_ours_the_journal_still_holds_passes_so_it_can_be_restored()
    {
        var flipped = ExtlinuxConfig.Parse(RescueFirst + "label test\n kernel /Image-test\ndefault test\n");
        Assert.That(DefaultFlipJournal.CheckDefault(flipped, "known-good", new PendingFlip("known-good", "2")).Passed, Is.True);
        Assert.That(DefaultFlipJournal.CheckDefault(flipped, "known-good", new PendingFlip("rescue", "1")).Passed, Is.False, "a flip from another default is not ours to excuse");
    }
}
