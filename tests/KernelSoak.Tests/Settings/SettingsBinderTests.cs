using KernelSoak.Settings;

namespace KernelSoak.Tests.Settings;

public class SettingsBinderTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    private static (KernelSoakSettings, IReadOnlyList<KeyValuePair<string, string>>) Bind(string ini,
        IReadOnlyDictionary<string, string>? env = null, params (string, string)[] args)
    {
        var settings = new KernelSoakSettings();
        var rest = SettingsBinder.Bind(settings, IniFile.Parse(ini, "cake.config"), env ?? NoEnvironment,
            args.Select(a => new KeyValuePair<string, string>(a.Item1, a.Item2)).ToList());
        return (settings, rest);
    }

    [Test]
    public void File_then_environment_then_argument_later_wins()
    {
        const string ini = "[Board]\nHost = 10.0.0.1\nPort = 22\n";
        var (fileOnly, _) = Bind(ini);
        Assert.That(fileOnly.Board.Host, Is.EqualTo("10.0.0.1"));

        var (withEnv, _) = Bind(ini, new Dictionary<string, string> { ["BOARD_HOST"] = "10.0.0.2" });
        Assert.That(withEnv.Board.Host, Is.EqualTo("10.0.0.2"));
        Assert.That(withEnv.Board.Port, Is.EqualTo(22), "untouched keys keep the file's value");

        var (withArg, _) = Bind(ini, new Dictionary<string, string> { ["BOARD_HOST"] = "10.0.0.2" }, ("board-host", "10.0.0.3"));
        Assert.That(withArg.Board.Host, Is.EqualTo("10.0.0.3"));
    }

    [Test]
    public void Multi_word_keys_map_to_snake_environment_and_kebab_arguments()
    {
        var (s, _) = Bind("", new Dictionary<string, string> { ["BOARD_IDENTITY_FILE"] = "/k" }, ("board-connect-timeout-seconds", "3"));
        Assert.That(s.Board.IdentityFile, Is.EqualTo("/k"));
        Assert.That(s.Board.ConnectTimeoutSeconds, Is.EqualTo(3));
    }

    [Test]
    public void A_host_path_from_home_is_expanded_wherever_it_is_given_and_other_values_keep_their_tilde()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        // bash leaves the ~ of --board-identity-file=~/.ssh/key as it is (not a word start, not an assignment).
        var (s, _) = Bind("[Board]\nKnownHosts = ~/.ssh/known_hosts\n[Paths]\nCache = ~/.cache/ks\n",
            new Dictionary<string, string> { ["BOARD_AGENT_SOCKET"] = "~/agent.sock" }, ("board-identity-file", "~/.ssh/id_ed25519"), ("power-cycle-command", "relay ~/on"));
        Assert.Multiple(() =>
        {
            Assert.That(s.Board.IdentityFile, Is.EqualTo(Path.Combine(home, ".ssh/id_ed25519")));
            Assert.That(s.Board.KnownHosts, Is.EqualTo(Path.Combine(home, ".ssh/known_hosts")));
            Assert.That(s.Board.AgentSocket, Is.EqualTo(Path.Combine(home, "agent.sock")));
            Assert.That(s.Paths.Cache, Is.EqualTo(Path.Combine(home, ".cache/ks")));
            Assert.That(s.Power.CycleCommand, Is.EqualTo("relay ~/on"), "a command line is the shell's to expand");
        });
    }

    [Test]
    public void Campaign_alias_and_other_arguments_pass_through()
    {
        var (s, rest) = Bind("", null, ("campaign", "iter6-v3"), ("log", "/tmp/x.log"));
        Assert.That(s.Campaign.Name, Is.EqualTo("iter6-v3"));
        Assert.That(rest, Has.Count.EqualTo(1));
        Assert.That(rest[0].Key, Is.EqualTo("log"));
    }

    [Test]
    public void Unknown_key_names_file_line_and_key()
    {
        var e = Assert.Throws<SettingsException>(() => Bind("[Board]\nHost = x\n\nHots = y\n"));
        Assert.That(e!.Message, Does.StartWith("cake.config:4: unknown key 'Hots' in [Board]"));
        Assert.That(e.Message, Does.Contain("Host"));
    }

    [Test]
    public void Unknown_section_is_an_error()
    {
        var e = Assert.Throws<SettingsException>(() => Bind("[Bord]\nHost = x\n"));
        Assert.That(e!.Message, Does.StartWith("cake.config:2: unknown section [Bord]"));
    }

    [Test]
    public void Cakes_own_keys_are_left_to_Cake_and_typos_in_ours_still_refused()
    {
        var (settings, _) = Bind("[Settings]\nShowProcessCommandLine = true\n[NuGet]\nSource = x\n[Paths]\nTools = tools\nArtifacts = out\n");
        Assert.That(settings.Paths.Artifacts, Is.EqualTo("out"));
        Assert.Throws<SettingsException>(() => Bind("[Paths]\nTool = tools\n"));
    }

    [TestCase("[Board]\nPort = twenty\n", "cake.config:2", "not a whole number")]
    [TestCase("[Board]\nKind = usb\n", "cake.config:2", "not one of qemu, ssh")]
    [TestCase("[Board]\nTrustOnFirstUse = maybe\n", "cake.config:2", "not true or false")]
    [TestCase("[Lava]\nServer = lava.example:8000\n", "cake.config:2", "not an absolute http(s) URL")]
    [TestCase("[Lava]\nServer = http://admin:pw@lava/\n", "cake.config:2", "holds credentials")]
    [TestCase("[Lava]\nArtifactBind = lab-host\n", "cake.config:2", "not an IP address")]
    [TestCase("[Lava]\nDeviceType = qemu arm64\n", "cake.config:2", "letters, digits and _.- only")]
    [TestCase("[Lava]\nPriority = 101\n", "cake.config:2", "out of range")]
    [TestCase("[Board\nHost = x\n", "cake.config:1", "malformed section header")]
    [TestCase("Host = x\n", "cake.config:1", "outside any [Section]")]
    [TestCase("[Board]\nHost\n", "cake.config:2", "expected 'Key = Value'")]
    public void Malformed_values_name_their_line(string ini, string where, string why)
    {
        var e = Assert.Throws<SettingsException>(() => Bind(ini));
        Assert.That(e!.Message, Does.StartWith(where));
        Assert.That(e.Message, Does.Contain(why));
    }

    [Test]
    public void Malformed_environment_value_names_the_variable()
    {
        var e = Assert.Throws<SettingsException>(() => Bind("", new Dictionary<string, string> { ["BOARD_PORT"] = "x" }));
        Assert.That(e!.Message, Does.StartWith("environment BOARD_PORT"));
    }

    [Test]
    public void Unknown_argument_in_a_settings_section_is_an_error_not_ignored()
    {
        var e = Assert.Throws<SettingsException>(() => Bind("", null, ("board-hots", "x")));
        Assert.That(e!.Message, Does.Contain("--board-hots"));
        Assert.That(e.Message, Does.Contain("--board-host"));
    }

    [Test]
    public void The_repository_cake_config_binds_cleanly()
    {
        var (settings, _) = KernelSoakSettings.Load(Repo.Root, NoEnvironment, []);
        Assert.That(settings.Board.Kind, Is.EqualTo(BoardKind.Qemu), "the default board is the emulated one");
        Assert.That(settings.Campaign.Name, Is.EqualTo("qemu-demo"));
    }
}
