namespace KernelSoak.Kernel.Tests;

public class BuildInputsTests
{
    private const string Config = "CONFIG_KASAN=y\nCONFIG_DEBUG_LIST=y\n";
    private static string Of(string source = "abc", string config = Config, string gcc = "aarch64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0",
        string[]? vars = null, string[]? targets = null, string release = "6.1.192-ks") =>
        BuildInputs.Fingerprint(source, config, gcc, vars ?? ["ARCH=arm64", "LOCALVERSION=-ks"], targets ?? ["Image", "modules"], release);

    [Test]
    public void Nothing_changed_same_fingerprint_so_make_is_skipped() => Assert.That(Of(), Is.EqualTo(Of()));

    [Test]
    public void A_changed_option_rebuilds() =>
        Assert.That(Of(config: Config.Replace("CONFIG_DEBUG_LIST=y", "# CONFIG_DEBUG_LIST is not set", StringComparison.Ordinal)), Is.Not.EqualTo(Of()));

    [Test]
    public void A_source_change_another_compiler_variable_target_or_release_rebuilds()
    {
        Assert.That(Of(source: "abd"), Is.Not.EqualTo(Of()));
        Assert.That(Of(gcc: "aarch64-linux-gnu-gcc (Debian 13.1.0) 13.1.0"), Is.Not.EqualTo(Of()));
        Assert.That(Of(vars: ["ARCH=arm64", "LOCALVERSION="]), Is.Not.EqualTo(Of()));
        Assert.That(Of(targets: ["Image", "modules", "dtbs"]), Is.Not.EqualTo(Of()));
        Assert.That(Of(release: "6.1.192-ks2"), Is.Not.EqualTo(Of()));
    }
}
