using KernelSoak.Boards.Strategy;
using KernelSoak.Campaigns;
using KernelSoak.Journal;
using KernelSoak.Soak;

namespace KernelSoak.Tests.Boot;

/// <summary>
/// The boot step's decisions from the journal and the board's answers alone: resume after a killed run's
/// reboot, reload modules into a verified boot, and what each boot outcome leads to.
/// </summary>
public class BootPolicyTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("ks-bootpolicy-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private RunJournal Journal() => RunJournal.Open(Path.Combine(_dir, "journal"));

    private static readonly BootFacts OnOldKernel = new("6.1.0-ks", "sha-new", "6.1.0", "boot-1");

    [Test]
    public void A_board_on_another_kernel_is_rebooted() =>
        Assert.That(BootPolicy.Start(OnOldKernel, null, null, allowModuleReload: true), Is.EqualTo(BootStart.Reboot));

    [Test]
    public void After_this_steps_reboot_a_board_running_the_build_on_a_new_boot_is_not_rebooted_again()
    {
        using var journal = Journal();
        var records = new BootRecords(journal);
        journal.Begin("bisect/0002/boot", "fp");
        records.NoteReboot("bisect/0002/boot", "boot-1", "sha-new");
        var reboot = records.LastReboot("bisect/0002/boot")!;
        Assert.Multiple(() =>
        {
            Assert.That(reboot, Is.EqualTo(new RebootNote("bisect/0002/boot", "boot-1", "sha-new")));
            Assert.That(BootPolicy.Start(OnOldKernel with { Running = "6.1.0-ks", RunningBootId = "boot-2" }, reboot, null, false), Is.EqualTo(BootStart.AlreadyBooted));
            Assert.That(BootPolicy.Start(OnOldKernel with { Running = "6.1.0-ks", RunningBootId = "boot-1" }, reboot, null, false), Is.EqualTo(BootStart.Reboot),
                "the same boot: the reboot never happened");
            Assert.That(BootPolicy.Start(OnOldKernel with { Running = "6.1.0-ks", RunningBootId = "boot-2", ImageSha = "sha-newer" }, reboot, null, false), Is.EqualTo(BootStart.Reboot),
                "that reboot was for another Image");
            Assert.That(records.LastReboot("bisect/0003/boot"), Is.Null);
        });
    }

    [Test]
    public void The_same_Image_since_a_verified_boot_reloads_modules_when_allowed()
    {
        using var journal = Journal();
        journal.Begin("bisect/0001/boot", "fp");
        journal.Complete("bisect/0001/boot", "fp", Outcomes.Ok, BootRecords.Verified("6.1.0-ks", "boot-7", "sha-new"));
        journal.Begin("bisect/0002/install/modules", "fp");
        journal.Complete("bisect/0002/install/modules", "fp", Outcomes.Ok, new Dictionary<string, string> { ["changed_modules"] = "a.ko b.ko" });
        var records = new BootRecords(journal);
        var now = OnOldKernel with { Running = "6.1.0-ks", RunningBootId = "boot-7" };
        Assert.Multiple(() =>
        {
            Assert.That(records.VerifiedImage("boot-7"), Is.EqualTo("sha-new"));
            Assert.That(records.VerifiedImage("boot-8"), Is.Null);
            Assert.That(records.ChangedModules(), Is.EqualTo(new[] { "a.ko", "b.ko" }));
            Assert.That(BootPolicy.Start(now, null, records.VerifiedImage("boot-7"), allowModuleReload: true), Is.EqualTo(BootStart.ReloadModules));
            Assert.That(BootPolicy.Start(now, null, records.VerifiedImage("boot-7"), allowModuleReload: false), Is.EqualTo(BootStart.Reboot));
            Assert.That(BootPolicy.Start(now with { ImageSha = "sha-other" }, null, records.VerifiedImage("boot-7"), allowModuleReload: true), Is.EqualTo(BootStart.Reboot));
        });
    }

    [Test]
    public void The_boot_steps_outputs_answer_the_later_steps()
    {
        using var journal = Journal();
        journal.Begin("baseline/boot", "fp");
        journal.Complete("baseline/boot", "fp", Outcomes.Ok, BootRecords.NoBoot("6.1.0-ks"));
        journal.Begin("bisect/0001/boot", "fp");
        journal.Complete("bisect/0001/boot", "fp", Outcomes.Ok, BootRecords.WithReloaded(BootRecords.Verified("6.1.0-ks", "b", "i"), ["x.ko"]));
        var records = new BootRecords(journal);
        Assert.Multiple(() =>
        {
            Assert.That(journal.LastEnd("baseline/boot")!.Outputs!["verdict"], Is.EqualTo("no-boot"), "the word earlier journals hold");
            Assert.That(records.DidNotBoot("baseline"), Is.True);
            Assert.That(records.DidNotBoot("bisect/0001"), Is.False);
            Assert.That(records.ReloadedModules("bisect/0001"), Is.True);
            Assert.That(records.ReloadedModules("baseline"), Is.False);
        });
    }

    [Test]
    public void A_run_killed_after_its_reboot_leaves_it_pending_until_the_step_ends()
    {
        using (var journal = Journal())
        {
            journal.Begin("soak/boot", "fp");
            new BootRecords(journal).NoteReboot("soak/boot", "boot-1", "sha");
        }
        using var next = Journal();
        var pending = new BootRecords(next).Interrupted();
        Assert.That(pending, Is.EqualTo(new RebootNote("soak/boot", "boot-1", "sha")));
        next.Begin("soak/boot", "fp");
        next.Complete("soak/boot", "fp", Outcomes.Ok, BootRecords.Verified("r", "boot-2", "sha"));
        Assert.That(new BootRecords(next).Interrupted(), Is.Null);
    }

    [Test]
    public void Waiting_for_a_pending_reboot_ends_at_a_new_boot_or_after_the_grace()
    {
        var reboot = new RebootNote("soak/boot", "boot-1", "sha");
        Assert.Multiple(() =>
        {
            Assert.That(BootPolicy.NewBootOrNeverRebooted(reboot, "boot-2", TimeSpan.Zero), Is.True);
            Assert.That(BootPolicy.NewBootOrNeverRebooted(reboot, "boot-1", TimeSpan.FromSeconds(5)), Is.False, "the old kernel's sshd on its way down");
            Assert.That(BootPolicy.NewBootOrNeverRebooted(reboot, "boot-1", BootPolicy.SameBootGrace + TimeSpan.FromSeconds(1)), Is.True, "the reboot never happened");
        });
    }

    private static BootOutcome Outcome(BootState final, NoBootCause? cause = null) =>
        new(final, new BootedSystem("6.1.0", "boot-2"), cause, "detail", null, "", []);

    [TestCase(BootState.Shell, null, BootSelection.SerialMenu, BootEnd.Verify)]
    [TestCase(BootState.NoBoot, NoBootCause.Panic, BootSelection.SerialMenu, BootEnd.NoBoot)]
    [TestCase(BootState.NoBoot, NoBootCause.WrongKernel, BootSelection.SerialMenu, BootEnd.NoBoot)]
    [TestCase(BootState.NoBoot, NoBootCause.WrongKernel, BootSelection.Manual, BootEnd.AskPersonThenNoBoot)]
    [TestCase(BootState.NoBoot, NoBootCause.Timeout, BootSelection.Manual, BootEnd.NoBoot)]
    [TestCase(BootState.Stranded, null, BootSelection.FlipDefault, BootEnd.Stranded)]
    public void Each_boot_outcome_has_its_next_action(BootState final, NoBootCause? cause, BootSelection selection, BootEnd expected) =>
        Assert.That(BootPolicy.End(Outcome(final, cause), selection), Is.EqualTo(expected));

    [Test]
    public void Every_boot_selection_names_a_strategy_selection()
    {
        foreach (var selection in Enum.GetValues<BootSelection>())
            Assert.That(() => BootPolicy.LabelSelectionOf(selection), Throws.Nothing, selection.ToString());
        Assert.That(BootPolicy.LabelSelectionOf(BootSelection.FlipDefault), Is.EqualTo(LabelSelection.BoardDefault));
    }
}
