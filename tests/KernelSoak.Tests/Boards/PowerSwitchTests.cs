using System.Diagnostics;
using KernelSoak.Boards.Switches;
using KernelSoak.Processes;

namespace KernelSoak.Tests.Boards;

/// <summary>The command and manual power switches, with real shell commands and a real confirmation file.</summary>
public class PowerSwitchTests
{
    private string _dir = null!;
    private readonly List<string> _said = [];

    [SetUp]
    public void MakeDir()
    {
        _dir = Directory.CreateTempSubdirectory("ks-power-").FullName;
        _said.Clear();
    }

    [TearDown]
    public void Remove() => Directory.Delete(_dir, recursive: true);

    private string Relay => Path.Combine(_dir, "relay.log");
    private string Append(string what) => $"echo {what} $(date +%s%N) >> {Relay}";

    [Test]
    public async Task Without_a_cycle_command_a_reset_is_off_a_pause_then_on()
    {
        var log = new RecordingCommandLog();
        var power = new CommandPowerSwitch(new PowerCommands("", Append("off"), Append("on"), TimeSpan.FromMilliseconds(400)), new CommandRunner(log));
        await power.ResetAsync();
        var lines = File.ReadAllLines(Relay).Select(l => l.Split(' ')).ToList();
        Assert.That(lines.Select(l => l[0]), Is.EqualTo(new[] { "off", "on" }));
        var offForMs = (long.Parse(lines[1][1], System.Globalization.CultureInfo.InvariantCulture) - long.Parse(lines[0][1], System.Globalization.CultureInfo.InvariantCulture)) / 1_000_000;
        Assert.That(offForMs, Is.GreaterThanOrEqualTo(400), "the board stays off for OffSeconds");
        Assert.That(log.Lines, Has.Some.Contains("echo off"), "each command is logged with its exact line");
    }

    [Test]
    public async Task A_cycle_command_is_used_alone_when_set()
    {
        var power = new CommandPowerSwitch(new PowerCommands(Append("cycle"), Append("off"), Append("on"), TimeSpan.Zero), new CommandRunner(new RecordingCommandLog()));
        await power.ResetAsync();
        Assert.That(File.ReadAllLines(Relay).Select(l => l.Split(' ')[0]), Is.EqualTo(new[] { "cycle" }));
    }

    [Test]
    public void A_failing_switch_is_infrastructure_trouble_with_its_output()
    {
        var power = new CommandPowerSwitch(new PowerCommands("echo relay /dev/ttyUSB0 not found >&2; exit 3", "", "", TimeSpan.Zero), new CommandRunner(new RecordingCommandLog()));
        var e = Assert.ThrowsAsync<PowerSwitchException>(() => power.ResetAsync());
        Assert.That(e!.Message, Does.Contain("CycleCommand failed (exit 3)").And.Contain("relay /dev/ttyUSB0 not found").And.Contain("check the switch"));
    }

    [Test]
    public void Missing_commands_are_named()
    {
        var power = new CommandPowerSwitch(new PowerCommands("", "", Append("on"), TimeSpan.Zero), new CommandRunner(new RecordingCommandLog()));
        var e = Assert.ThrowsAsync<PowerSwitchException>(() => power.ResetAsync());
        Assert.That(e!.Message, Does.Contain("CycleCommand, or both OffCommand and OnCommand"));
        Assert.That(File.Exists(Relay), Is.False, "nothing was switched");
    }

    [Test]
    public async Task Manual_says_what_to_do_and_waits_for_the_confirmation_file()
    {
        var confirm = Path.Combine(_dir, "confirm", "power");
        var power = new ManualPowerSwitch(_said.Add, confirm, TimeSpan.FromSeconds(20), keyboard: null);
        var watch = Stopwatch.StartNew();
        var reset = power.ResetAsync();
        await Task.Delay(600);
        Assert.That(reset.IsCompleted, Is.False, "it waits for the person");
        Assert.That(_said.Single(), Does.Contain("power-cycle the board").And.Contain($"touch {confirm}"));
        await File.WriteAllTextAsync(confirm, "");
        await reset.WaitAsync(TimeSpan.FromSeconds(5));
        // Task.Delay(600) itself may wake a little early (CI saw 598 ms): the margin is the timer's, not the switch's.
        Assert.That(watch.Elapsed, Is.GreaterThan(TimeSpan.FromMilliseconds(550)));
        Assert.That(File.Exists(confirm), Is.False, "taken away: the next request waits again");
    }

    [Test]
    public async Task Manual_takes_Enter_on_a_terminal()
    {
        var power = new ManualPowerSwitch(_said.Add, Path.Combine(_dir, "power"), TimeSpan.FromSeconds(20), new StringReader("\n"));
        await power.OffAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That(_said[0], Does.Contain("switch the board OFF").And.Contain("press Enter"));
    }

    [Test]
    public void Manual_without_an_answer_stops_with_what_to_do()
    {
        var confirm = Path.Combine(_dir, "power");
        var power = new ManualPowerSwitch(_said.Add, confirm, TimeSpan.FromMilliseconds(500), keyboard: null);
        var e = Assert.ThrowsAsync<PowerSwitchException>(() => power.ResetAsync());
        Assert.That(e!.Message, Does.Contain("nobody confirmed").And.Contain($"touch {confirm}"));
    }
}
