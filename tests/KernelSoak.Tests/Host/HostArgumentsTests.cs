using Cake.Core.Diagnostics;
using Cake.Frosting;
using KernelSoak.Frosting;

namespace KernelSoak.Tests.Host;

public class HostArgumentsTests
{
    [Test]
    public void Cake_switches_and_values()
    {
        var a = HostArguments.Parse(["-t", "Bisect0004", "--verbosity=diagnostic", "--dryrun", "-e", "--board-host=10.0.0.5", "--log=x", "--keep=true"]);
        Assert.That(a.Target, Is.EqualTo("Bisect0004"));
        Assert.That(a.Verbosity, Is.EqualTo(Verbosity.Diagnostic));
        Assert.That(a.DryRun && a.Exclusive, Is.True);
        Assert.That(a.Values.Select(v => $"{v.Key}={v.Value}"), Is.EqualTo(new[] { "board-host=10.0.0.5", "log=x", "keep=true" }));
    }

    [Test]
    public void Bare_word_is_an_error() =>
        Assert.Throws<ArgumentException>(() => HostArguments.Parse(["Bisect0004"]));

    [Test]
    public void Bad_verbosity_is_an_error() =>
        Assert.That(Assert.Throws<ArgumentException>(() => HostArguments.Parse(["--verbosity=loud"]))!.Message, Does.Contain("unknown verbosity"));

    [Test]
    public void A_bare_unknown_flag_is_an_error_naming_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => HostArguments.Parse(["--frobnicate"]))!;
        Assert.That(e.Message, Does.Contain("'--frobnicate'").And.Contain("--dryrun").And.Contain("--name=value"));
    }

    [Test]
    public void Version_is_a_switch() => Assert.That(HostArguments.Parse(["--version"]).Version, Is.True);
}
