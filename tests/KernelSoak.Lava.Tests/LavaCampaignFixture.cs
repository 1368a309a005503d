namespace KernelSoak.Lava.Tests;

/// <summary>
/// A fixture that runs the build host against the local LAVA with its own copy of campaigns/qemu-bisect.toml in a
/// temporary artifacts folder. Ignored, saying why, without LAVA, the emulated board's cached kernel, Debian's
/// linux-source-6.1 or the arm64 cross compiler.
/// </summary>
public abstract class LavaCampaignFixture
{
    protected LocalLava Lava { get; private set; } = null!;
    protected string Artifacts { get; private set; } = "";
    protected string CampaignFile { get; private set; } = "";

    /// <summary>The campaign's id: its folder under the artifacts, its kernel tree under ~/.cache/kernelsoak/trees.</summary>
    protected abstract string Id { get; }

    /// <summary>qemu-bisect.toml made into this fixture's campaign (extra files may go into <paramref name="artifacts"/>).</summary>
    protected abstract string Campaign(string text, string artifacts);

    [OneTimeSetUp]
    public async Task Start()
    {
        if (!File.Exists("/usr/src/linux-source-6.1.tar.xz")) Assert.Ignore("no /usr/src/linux-source-6.1.tar.xz: apt-get install linux-source-6.1 (the campaign's kernel tree)");
        if (!File.Exists("/usr/bin/aarch64-linux-gnu-gcc")) Assert.Ignore("no aarch64-linux-gnu-gcc: apt-get install gcc-aarch64-linux-gnu");
        Lava = await LocalLava.StartAsync();
        Artifacts = Directory.CreateTempSubdirectory($"ks-{Id}-").FullName;
        CampaignFile = Path.Combine(Artifacts, $"{Id}.toml");
        File.WriteAllText(CampaignFile, Campaign(File.ReadAllText(Path.Combine(LocalLava.RepoRoot(), "campaigns", "qemu-bisect.toml")), Artifacts));
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (Lava is not null) await Lava.DisposeAsync();
        if (Artifacts.Length > 0) Directory.Delete(Artifacts, recursive: true);
    }

    /// <summary>The build host run on this fixture's campaign (<see cref="LavaHost.Run"/>).</summary>
    protected (int Exit, string Output) Host(string target, bool killWhenSubmitted, params string[] more) =>
        LavaHost.Run(Lava, CampaignFile, Artifacts, target, killWhenSubmitted, more);
}
