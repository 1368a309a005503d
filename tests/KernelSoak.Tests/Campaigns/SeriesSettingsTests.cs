using KernelSoak.Campaigns;
using KernelSoak.Series;

namespace KernelSoak.Tests.Campaigns;

/// <summary>series.miss_probability, max_probe_s, hunt, soak_bad_end, assumed_interval_s: bound and checked by the campaign loader.</summary>
public class SeriesSettingsTests
{
    private static string Error(string series) =>
        Assert.Throws<CampaignException>(() => CampaignLoader.Parse(CampaignLoaderTests.Minimal + "\n[series]\n" + series + "\n", "s.toml"))!.Message;

    [Test]
    public void Defaults_are_the_issues_five_percent_and_half_an_hour()
    {
        var s = CampaignLoader.Parse(CampaignLoaderTests.Minimal, "min.toml").Series;
        Assert.That((s.MissProbability, s.MaxProbeS, s.Hunt, s.SoakBadEnd, s.AssumedIntervalS), Is.EqualTo((0.05, 1800, "any", false, 0.0)));
    }

    [Test]
    public void Every_setting_binds()
    {
        var s = CampaignLoader.Parse(CampaignLoaderTests.Minimal + """

            [series]
            mode = "binary"
            miss_probability = 0.01
            max_probe_s = 3600
            hunt = "^KASAN: use-after-free"
            soak_bad_end = true
            assumed_interval_s = 46
            """, "s.toml").Series;
        Assert.That((s.MissProbability, s.MaxProbeS, s.Hunt, s.SoakBadEnd, s.AssumedIntervalS), Is.EqualTo((0.01, 3600, "^KASAN: use-after-free", true, 46.0)));
        Assert.That(HuntRule.Parse(s.Hunt).Steers("KASAN: use-after-free Read in f"), Is.True);
        Assert.That(HuntRule.Parse(s.Hunt).Steers("WARNING in g"), Is.False);
        Assert.That(HuntRule.Parse("any").Steers("WARNING in g"), Is.True);
    }

    [TestCase("miss_probability = 0", "s.toml:10: series.miss_probability must be above 0 and below 0.5")]
    [TestCase("miss_probability = 0.5", "series.miss_probability must be above 0 and below 0.5")]
    [TestCase("max_probe_s = 5", "s.toml:10: series.max_probe_s must be at least 10 seconds")]
    [TestCase("assumed_interval_s = -1", "series.assumed_interval_s must be 0 (none)")]
    [TestCase("hunt = \"\"", "series.hunt must be \"any\" or a regex")]
    [TestCase("hunt = \"KASAN: (use\"", "series.hunt is not \"any\" and not a valid regex 'KASAN: (use'")]
    [TestCase("miss_probability = \"five\"", "miss_probability")]
    public void Bad_values_are_errors_naming_the_setting(string line, string message) =>
        Assert.That(Error(line), Does.Contain(message));
}

/// <summary>The flaky series of issue 22's real run: the campaign loads and every patch it names is there.</summary>
public class FlakyCampaignTests
{
    [Test]
    public void The_flaky_campaign_hunts_the_use_after_free_over_four_patches_that_exist()
    {
        var c = CampaignLoader.Load(Path.Combine(Repo.Root, "campaigns", "qemu-flaky.toml"));
        Assert.That((c.Series.Mode, c.Series.Hunt, c.Series.SoakBadEnd), Is.EqualTo((SearchMode.Binary, "^KASAN: use-after-free", true)));
        var dir = Path.GetFullPath(c.Series.Dir, Path.GetDirectoryName(c.SourcePath)!);
        var files = c.Series.Patches.Select(p => Kernel.PatchSeries.Resolve(dir, p)).ToList();
        Assert.That(files.Select(Path.GetFileName), Has.All.Match("^000[1-4]-.*\\.patch$"));
        Assert.That(File.ReadAllText(files[2]), Does.Contain("get_random_u32() % 10 == 0").And.Contain("+\t\tkfree(seen);"));
    }
}
