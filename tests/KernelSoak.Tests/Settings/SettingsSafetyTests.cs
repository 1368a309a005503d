using KernelSoak.Settings;

namespace KernelSoak.Tests.Settings;

/// <summary>Settings that were accepted and then broke a run (or worse): refused where they are read, naming file and line.</summary>
public class SettingsSafetyTests
{
    private static SettingsException Refused(string ini, Dictionary<string, string>? env = null, params (string, string)[] args) =>
        Assert.Throws<SettingsException>(() => SettingsBinder.Bind(new KernelSoakSettings(), IniFile.Parse(ini, "cake.config"), env ?? [],
            args.Select(a => new KeyValuePair<string, string>(a.Item1, a.Item2)).ToList()))!;

    [TestCase("[Board]\nPort = 70000\n", "cake.config:2 (Board.Port): 70000 is out of range (1–65535)")]
    [TestCase("[Board]\nPort = 0\n", "cake.config:2 (Board.Port): 0 is out of range (1–65535)")]
    [TestCase("[Board]\nConnectTimeoutSeconds = -1\n", "cake.config:2 (Board.ConnectTimeoutSeconds): -1 is out of range (1–600)")]
    [TestCase("[Board]\nDeadPeerSeconds = 0\n", "cake.config:2 (Board.DeadPeerSeconds): 0 is out of range (1–3600)")]
    [TestCase("[Board]\nKeepAliveSeconds = 0\n", "cake.config:2 (Board.KeepAliveSeconds): 0 is out of range (1–3600)")]
    [TestCase("[Netconsole]\nHostPort = 65536\n", "cake.config:2 (Netconsole.HostPort): 65536 is out of range (1–65535)")]
    [TestCase("[Paths]\nArtifacts = /\n", "cake.config:2 (Paths.Artifacts): '/' is a filesystem root: name a directory of its own")]
    [TestCase("[Paths]\nArtifacts =\n", "cake.config:2 (Paths.Artifacts): is empty: name a directory")]
    [TestCase("[Paths]\nCache = /\n", "cake.config:2 (Paths.Cache): '/' is a filesystem root: name a directory of its own")]
    public void Out_of_range_values_in_the_file_are_refused_with_file_line_and_key(string ini, string message) =>
        Assert.That(Refused(ini).Message, Is.EqualTo(message));

    [Test]
    public void The_environment_and_arguments_are_checked_the_same_way()
    {
        Assert.That(Refused("", new() { ["BOARD_PORT"] = "99999" }).Message, Is.EqualTo("environment BOARD_PORT: 99999 is out of range (1–65535)"));
        Assert.That(Refused("", null, ("board-dead-peer-seconds", "0")).Message, Is.EqualTo("argument --board-dead-peer-seconds: 0 is out of range (1–3600)"));
        Assert.That(Refused("", null, ("paths-artifacts", "/")).Message, Does.StartWith("argument --paths-artifacts: '/' is a filesystem root"));
    }

    [Test]
    public void A_key_given_twice_is_refused_naming_both_lines()
    {
        var e = Assert.Throws<SettingsException>(() => IniFile.Parse("[Board]\nHost = 10.0.0.1\n; the new board\nhost = 10.0.0.2\n", "cake.config"));
        Assert.That(e!.Message, Is.EqualTo("cake.config:4: [Board] host is set again (first on line 2): keep one of the two"));
    }

    [Test]
    public void The_same_key_in_two_sections_and_the_shipped_config_are_fine()
    {
        Assert.That(IniFile.Parse("[Board]\nHost = a\n[Netconsole]\nHostAddress = b\n[Board]\nPort = 22\n", "cake.config"), Has.Count.EqualTo(3));
        var shipped = File.ReadAllText(Path.Combine(Repo.Root, "cake.config"));
        Assert.DoesNotThrow(() => SettingsBinder.Bind(new KernelSoakSettings(), IniFile.Parse(shipped, "cake.config"), new Dictionary<string, string>(), []));
    }
}
