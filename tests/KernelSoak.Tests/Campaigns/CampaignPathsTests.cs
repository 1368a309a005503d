using KernelSoak.Campaigns;

namespace KernelSoak.Tests.Campaigns;

/// <summary>The seed campaign names its tree and its patch series as the plan's shell did: "~/src/…".</summary>
public class CampaignPathsTests
{
    private static readonly string Home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    [Test]
    public void A_path_from_home_a_relative_and_an_absolute_one_resolve_as_a_shell_would()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CampaignPaths.Resolve("~/src/patches/iter6", "/work/campaigns"), Is.EqualTo(Path.Combine(Home, "src/patches/iter6")),
                "was /work/campaigns/~/src/patches/iter6 for the series (the tree alone was expanded)");
            Assert.That(CampaignPaths.Resolve("../tests/patches", "/work/campaigns"), Is.EqualTo("/work/tests/patches"));
            Assert.That(CampaignPaths.Resolve("/srv/linux", "/work/campaigns"), Is.EqualTo("/srv/linux"));
            Assert.That(CampaignPaths.Resolve("~other/linux", "/work/campaigns"), Is.EqualTo("/work/campaigns/~other/linux"), "only the user's own home");
        });
    }
}
