using KernelSoak.Settings;

namespace KernelSoak.Tests.Settings;

/// <summary>[Build] Distcc: distcc's host list checked where it enters, since it becomes an environment word of every make.</summary>
public class DistccHostsTests
{
    [Test]
    public void Distccs_own_syntax_with_its_default_limits()
    {
        var hosts = DistccHosts.Parse("build1/8,lzo build2:3632 localhost\t@far.example.org/6,lzo,cpp");
        Assert.That(hosts.ToString(), Is.EqualTo("build1/8,lzo build2:3632/4 localhost/2 @far.example.org/6,lzo,cpp"), "a comma starts a host's options");
        Assert.That(hosts.Slots, Is.EqualTo(20));
        Assert.That(hosts.Hosts.Single(h => h.IsLocal).Name, Is.EqualTo("localhost"));
        Assert.That(DistccHosts.Parse("  ").Enabled, Is.False);
    }

    [TestCase("build1;rm -rf /", "is not a distcc host")]
    [TestCase("$(reboot)", "is not a distcc host")]
    [TestCase("build1:0", "the port must be 1–65535")]
    [TestCase("build1:70000", "the port must be 1–65535")]
    [TestCase("@build1:22", "only for a TCP host")]
    [TestCase("build1/0", "the limit must be 1–256")]
    [TestCase("build1/lzo", "is not a distcc host")]
    [TestCase("build1/8,build2/8", "is not a distcc host")]
    [TestCase("+zeroconf", "is not a distcc host")]
    [TestCase("--randomize", "is not a distcc host")]
    public void An_entry_that_is_no_distcc_host_is_refused_where_it_came_from(string text, string why)
    {
        var e = Assert.Throws<SettingsException>(() => DistccHosts.Parse(text));
        Assert.That(e!.Message, Does.StartWith("[Build] Distcc: ").And.Contain(why));
    }

    [Test]
    public void The_setting_wins_over_DISTCC_HOSTS_which_is_checked_too()
    {
        var settings = new BuildSettings();
        Assert.That(settings.HostsFor(new Dictionary<string, string>()).Enabled, Is.False);
        Assert.That(settings.HostsFor(new Dictionary<string, string> { ["DISTCC_HOSTS"] = "b1/3" }).ToString(), Is.EqualTo("b1/3"));
        Assert.That(Assert.Throws<SettingsException>(() => settings.HostsFor(new Dictionary<string, string> { ["DISTCC_HOSTS"] = "b1|x" }))!.Message, Does.StartWith("DISTCC_HOSTS: "));
        settings.Distcc = "b2/5";
        Assert.That(settings.HostsFor(new Dictionary<string, string> { ["DISTCC_HOSTS"] = "b1/3" }).ToString(), Is.EqualTo("b2/5"));
    }

    [Test]
    public void A_bad_list_in_cake_config_is_refused_when_bound()
    {
        var e = Assert.Throws<SettingsException>(() => SettingsBinder.Bind(new KernelSoakSettings(), [], new Dictionary<string, string>(),
            [new KeyValuePair<string, string>("build-distcc", "b1/999")]));
        Assert.That(e!.Message, Does.Contain("the limit must be 1–256"));
    }
}
