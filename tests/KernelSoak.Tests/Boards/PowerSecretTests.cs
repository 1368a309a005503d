using KernelSoak.Boards.Switches;
using KernelSoak.Processes;

namespace KernelSoak.Tests.Boards;

/// <summary>{secret:NAME} in a power command: run with the environment's value, logged as {secret:NAME}, never in argv.</summary>
public class PowerSecretTests
{
    private string _dir = null!;

    [SetUp]
    public void MakeDir() => _dir = Directory.CreateTempSubdirectory("ks-power-secret-").FullName;

    [TearDown]
    public void Remove() => Directory.Delete(_dir, recursive: true);

    private string Relay => Path.Combine(_dir, "relay.log");

    [Test]
    public async Task The_secret_reaches_the_command_and_the_log_shows_only_its_name()
    {
        const string secret = "S3cret pass$word";
        var environment = new Dictionary<string, string> { ["PDU_PASSWORD"] = secret };
        var log = new RecordingCommandLog();
        // The command records the -u argument it was given and its own argv (what ps would show).
        var cycle = $"printf '%s\\n' \"admin:{{secret:PDU_PASSWORD}}\" > {Relay}; tr '\\0' ' ' < /proc/$$/cmdline >> {Relay}";
        var power = new CommandPowerSwitch(new PowerCommands(cycle, "", "", TimeSpan.Zero), new CommandRunner(log), environment.GetValueOrDefault);
        await power.ResetAsync();

        var relay = File.ReadAllLines(Relay);
        Assert.That(relay[0], Is.EqualTo("admin:" + secret), "the command got the value, spaces and $ intact");
        Assert.That(relay[1], Does.Not.Contain("S3cret"), "and no argument list holds it");
        Assert.That(log.Lines.Single(), Does.Contain("admin:{secret:PDU_PASSWORD}").And.Not.Contain("S3cret"));
    }

    [Test]
    public void A_secret_missing_from_the_environment_stops_before_anything_runs_and_names_setting_and_variable()
    {
        var log = new RecordingCommandLog();
        var power = new CommandPowerSwitch(new PowerCommands($"touch {Relay}; curl -u admin:{{secret:PDU_PASSWORD}} http://pdu/", "", "", TimeSpan.Zero),
            new CommandRunner(log), _ => null);
        var e = Assert.ThrowsAsync<PowerSwitchException>(() => power.ResetAsync());
        Assert.That(e!.Message, Does.Contain("[Power] CycleCommand").And.Contain("PDU_PASSWORD"));
        Assert.That(File.Exists(Relay) || log.Lines.Count > 0, Is.False);
        var bad = new CommandPowerSwitch(new PowerCommands("curl -u admin:{secret:PDU-PASSWORD}", "", "", TimeSpan.Zero), new CommandRunner(log), _ => "x");
        Assert.That(Assert.ThrowsAsync<PowerSwitchException>(() => bad.ResetAsync())!.Message, Does.Contain("{secret:PDU-PASSWORD}"));
    }

    [Test]
    public void A_failing_command_that_echoes_its_secret_is_reported_with_the_name_not_the_value()
    {
        var environment = new Dictionary<string, string> { ["PLUG_TOKEN"] = "tok-123456" };
        var power = new CommandPowerSwitch(new PowerCommands("echo \"401 for token {secret:PLUG_TOKEN} and password=hunter2\"; exit 7", "", "", TimeSpan.Zero),
            new CommandRunner(ICommandLog.None), environment.GetValueOrDefault);
        var e = Assert.ThrowsAsync<PowerSwitchException>(() => power.ResetAsync());
        Assert.That(e!.Message, Does.Contain("exit 7").And.Contain("{secret:PLUG_TOKEN}").And.Not.Contain("tok-123456").And.Not.Contain("hunter2"));
    }
}
