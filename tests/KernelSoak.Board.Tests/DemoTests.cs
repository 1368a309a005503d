namespace KernelSoak.Board.Tests;

/// <summary>
/// The README's first command's campaign, campaigns/qemu-demo.toml, run as that command runs it (no target: the
/// soak) on the e2e board: it is clean, writes its reports, and every command it ran was printed by its dry run.
/// </summary>
[TestFixture, NonParallelizable, Order(14)]
public class DemoTests
{
    [Test]
    public void The_demo_campaign_soaks_clean_and_runs_only_what_its_dry_run_printed()
    {
        using var demo = new E2eCampaign("demo", source: "qemu-demo.toml");

        var (exit, output) = demo.BuildAsAnnounced();

        Assert.That(exit, Is.Zero, "the demo's soak is clean: " + output[^Math.Min(output.Length, 3000)..]);
        Assert.That(output, Does.Contain("config verified: ").And.Contain("U-Boot menu: chose"));
        var soak = Path.Combine(demo.Dir, "soak");
        Assert.That(File.ReadAllText(Path.Combine(soak, "summary.md")), Does.Contain("| soak | 1 | clean |"));
        Assert.That(Path.Combine(soak, "results.json"), Does.Exist);
        Assert.That(Path.Combine(soak, "junit.xml"), Does.Exist);
    }
}
