using KernelSoak.Kernel.Kconfig;
using KernelSoak.Processes;

namespace KernelSoak.Kernel.Tests;

/// <summary>
/// The seed plan's step 1.2-DELTA, verbatim, on linux-source-6.1 for arm64: olddefconfig exits 0,
/// and KernelSoak says what it dropped and why.
/// </summary>
[TestFixture, NonParallelizable]
public class SeedDeltaTests
{
    // ./scripts/config --enable KASAN ... exactly as iter6-v3-plan.txt types it.
    private static readonly string[] SeedArguments =
    [
        "--enable", "KASAN", "--enable", "KASAN_GENERIC", "--enable", "KASAN_OUTLINE",
        "--enable", "KCSAN", "--enable", "KCSAN_REPORT_ONCE_IN_MS=2000",
        "--enable", "DEBUG_PREEMPT", "--enable", "DEBUG_ATOMIC_SLEEP",
        "--enable", "DEBUG_OBJECTS", "--enable", "DEBUG_OBJECTS_RCU_HEAD",
        "--enable", "DEBUG_LIST", "--enable", "SLUB_DEBUG", "--enable", "SLUB_DEBUG_ON",
        "--enable", "PAGE_POISONING", "--set-str", "LOCALVERSION", "-lockdep-kasan",
    ];

    private string _build = "";
    private KernelConfigurator _configurator = null!;

    [OneTimeSetUp]
    public async Task DefconfigForArm64()
    {
        var source = await KernelTreeFixture.SourceAsync();
        _build = Directory.CreateTempSubdirectory("ks-seed-").FullName;
        var tree = new KernelTree(source, _build, null);
        var make = new KernelMake(KernelTreeFixture.Arm64(), tree, 2);
        _configurator = new KernelConfigurator(tree, make, new CommandRunner(new KernelTreeFixture.ProgressLog()));
        await _configurator.PrepareAsync();
    }

    [OneTimeTearDown]
    public void Remove() => Directory.Delete(_build, recursive: true);

    private async Task<IReadOnlyList<OptionCheck>> Configure(string[] arguments)
    {
        await _configurator.BaseAsync(Campaigns.BaseConfigKind.Defconfig, "");
        await _configurator.ApplyAsync(arguments);
        await _configurator.OlddefconfigAsync();
        var checks = _configurator.Verify(RequestedOption.FromScriptsConfig(arguments), "arm64");
        foreach (var c in checks) TestContext.Progress.WriteLine(c.ToString());
        return checks;
    }

    [Test]
    public async Task Seed_delta_verbatim_reports_each_dropped_or_mangled_option_with_its_reason()
    {
        var checks = await Configure(SeedArguments);
        OptionCheck Of(string name) => checks.Single(c => c.Requested.Name == name);

        Assert.That(Of("KASAN").Stuck, Is.True);
        Assert.That(Of("KASAN_OUTLINE").Stuck, Is.True);
        Assert.That(Of("PAGE_POISONING").Stuck, Is.True);

        var kcsan = Of("KCSAN");
        Assert.That(kcsan.Stuck, Is.False, "olddefconfig silently dropped KCSAN");
        Assert.That(kcsan.Reason, Does.Contain("!KASAN").And.Contain("KASAN=y"), kcsan.Reason);

        var once = Of("KCSAN_REPORT_ONCE_IN_MS=2000");
        Assert.That(once.Stuck, Is.False);
        Assert.That(once.Reason, Does.Contain("CONFIG_KCSAN_REPORT_ONCE_IN_MS=2000=y").And.Contain("--set-val KCSAN_REPORT_ONCE_IN_MS 2000"));

        Assert.That(Of("LOCALVERSION").Stuck, Is.True);
        Assert.That(checks.Where(c => !c.Stuck).Select(c => c.Requested.Symbol), Is.SubsetOf(new[] { "KCSAN", "KCSAN_REPORT_ONCE_IN_MS", "DEBUG_PREEMPT" }),
            "only the plan's real mistakes are reported");
        var preempt = Of("DEBUG_PREEMPT");
        if (!preempt.Stuck) Assert.That(preempt.Reason, Does.Contain("PREEMPTION"), "DEBUG_PREEMPT needs PREEMPTION");
    }

    [Test]
    public async Task Corrected_delta_verifies_clean()
    {
        string[] corrected =
        [
            "--enable", "KASAN", "--enable", "KASAN_GENERIC", "--enable", "KASAN_OUTLINE",
            "--enable", "PREEMPT", "--enable", "DEBUG_PREEMPT", "--enable", "DEBUG_ATOMIC_SLEEP",
            "--enable", "DEBUG_OBJECTS", "--enable", "DEBUG_OBJECTS_RCU_HEAD",
            "--enable", "DEBUG_LIST", "--enable", "SLUB_DEBUG", "--enable", "SLUB_DEBUG_ON",
            "--enable", "PAGE_POISONING", "--set-str", "LOCALVERSION", "-lockdep-kasan",
        ];
        var checks = await Configure(corrected);
        Assert.That(checks.Where(c => !c.Stuck).Select(c => c.ToString()), Is.Empty);
        // defconfig has LOCALVERSION_AUTO=y: in a git tree setlocalversion appends -g<commit>.
        Assert.That(await _configurator.ReleaseAsync(), Does.Match(@"^6\.1\.\d+-lockdep-kasan(-g[0-9a-f]{12})?$"));
    }

    /// <summary>The seed campaign split as the plan meant it: each half's delta, read from its file, holds on arm64.</summary>
    [TestCase("iter6-v3.toml", "KASAN")]
    [TestCase("iter6-v3-kcsan.toml", "KCSAN")]
    public async Task Each_half_of_the_seed_campaign_holds_its_sanitizer(string file, string sanitizer)
    {
        var root = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "campaigns", file))) root = root.Parent ?? throw new FileNotFoundException(file);
        var campaign = Campaigns.CampaignLoader.Load(Path.Combine(root.FullName, "campaigns", file));
        var checks = await Configure([.. campaign.Config.SelectMany(ConfigDelta.ArgumentsFor)]);
        Assert.That(checks.Single(c => c.Requested.Name == sanitizer).Stuck, Is.True, $"{sanitizer} is in the final .config");
        // DEBUG_PREEMPT needs PREEMPTION, which the board's own config (the campaign's base) decides; defconfig has none.
        Assert.That(checks.Where(c => !c.Stuck && c.Requested.Name != "DEBUG_PREEMPT").Select(c => c.ToString()), Is.Empty, "every other option holds");
    }

    [Test]
    public async Task Kcsan_alone_needs_expert_on_arm64_and_says_so()
    {
        var checks = await Configure(["--enable", "KCSAN", "--disable", "KASAN"]);
        var kcsan = checks.Single(c => c.Requested.Name == "KCSAN");
        if (!kcsan.Stuck) Assert.That(kcsan.Reason, Does.Contain("depends on"), kcsan.Reason);
    }

    [Test]
    public async Task Unknown_symbol_is_named()
    {
        var checks = await Configure(["--enable", "KASAN_NO_SUCH_OPTION"]);
        Assert.That(checks.Single().Reason, Does.StartWith("unknown symbol"));
    }
}
