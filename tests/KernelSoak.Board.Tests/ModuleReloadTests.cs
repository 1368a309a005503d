namespace KernelSoak.Board.Tests;

/// <summary>
/// install.allow_module_reload: 0001 and 0002 differ only in lkdtm (a module), so after 0002's probe has
/// booted the shared Image, 0001's probe swaps lkdtm in the running kernel instead of rebooting.
/// </summary>
[TestFixture, NonParallelizable, Order(10)]
public class ModuleReloadTests
{
    private E2eCampaign _campaign = null!;

    [OneTimeSetUp]
    public void WriteCampaign() => _campaign = new E2eCampaign("e2e", text => E2eCampaign.BinaryOverTwoPatches(text)
        .Replace("boot_selection = \"serial-menu\"", "boot_selection = \"serial-menu\"\nallow_module_reload = true", StringComparison.Ordinal));

    [OneTimeTearDown]
    public void Remove() => _campaign.Dispose();

    [Test]
    public void Only_a_changed_module_is_reloaded_in_the_running_kernel_and_the_verdicts_are_the_same()
    {
        var (exit, first) = _campaign.Build("--target=Bisect0002");
        Assert.That(exit, Is.Zero, first);
        Assert.That(_campaign.Verdict("0002"), Is.EqualTo("report"));

        var (again, second) = _campaign.BuildAsAnnounced("--target=Bisect0001");
        Assert.That(again, Is.Zero, second);
        Assert.That(second, Does.Contain("skip bisect/0001/install/image"), "the Image is the same");
        Assert.That(second, Does.Contain("reloaded lkdtm in the running"));
        Assert.That(second, Does.Not.Contain("reboot issued"));
        Assert.That(_campaign.Verdict("0001"), Is.EqualTo("clean"), "the stress ran against the reloaded 0001 lkdtm, not 0002's use-after-free");
    }
}
