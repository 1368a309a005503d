using KernelSoak.Settings;

namespace KernelSoak.Tests.Settings;

/// <summary>[Lava] as cake.config, the environment and arguments give it: checked as it is bound, the token never echoed.</summary>
public class LavaSettingsTests
{
    private static KernelSoakSettings Bind(string ini, Dictionary<string, string>? env = null, params (string, string)[] args)
    {
        var settings = new KernelSoakSettings();
        SettingsBinder.Bind(settings, IniFile.Parse(ini, "cake.config"), env ?? [], args.Select(a => new KeyValuePair<string, string>(a.Item1, a.Item2)).ToList());
        return settings;
    }

    [Test]
    public void Kind_lava_and_the_token_from_the_environment()
    {
        var s = Bind("[Board]\nKind = lava\n[Lava]\nServer = http://127.0.0.1:8000/\n", new() { ["LAVA_TOKEN"] = "abcdef0123" });
        Assert.That(s.Board.Kind, Is.EqualTo(BoardKind.Lava));
        Assert.That(s.Lava.Token, Is.EqualTo("abcdef0123"));
        Assert.That(s.Lava.ArtifactBind, Is.EqualTo("127.0.0.1"), "the artifact server serves this host only unless told otherwise");
    }

    [Test]
    public void A_token_that_is_refused_is_not_shown_in_the_message()
    {
        var e = Assert.Throws<SettingsException>(() => Bind("", null, ("lava-token", "secret with spaces")));
        Assert.That(e!.Message, Does.StartWith("argument --lava-token").And.Contain("value not shown"));
        Assert.That(e.Message, Does.Not.Contain("secret"));
    }

    [Test]
    public void The_shipped_cake_config_binds_and_names_kind_lava()
    {
        var text = File.ReadAllText(Path.Combine(Repo.Root, "cake.config"));
        var s = Bind(text);
        Assert.That(s.Lava.Prompt, Is.EqualTo("/ # "), "the quotes keep the prompt's trailing space");
        Assert.That(text, Does.Contain("lava = every probe is a job"));
    }
}
