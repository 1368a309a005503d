using KernelSoak.Boards.Switches;

namespace KernelSoak.Remote.Tests;

/// <summary>[Power] Switch = pdudaemon against a real pdudaemon on 127.0.0.1 whose localcmdline driver appends each command to a file.</summary>
public class PduDaemonTests
{
    private string _dir = null!;
    private LabDaemon? _daemon;
    private int _port;

    private string Relay => Path.Combine(_dir, "relay.log");

    [SetUp]
    public void StartDaemon()
    {
        _dir = Directory.CreateTempSubdirectory("ks-pdu-").FullName;
        // The date's % are doubled for localcmdline's % formatting.
        (_daemon, _port) = LabDaemon.StartPduDaemon(_dir, $"echo \"%s on $(date +%%s%%N)\" >> {Relay}", $"echo \"%s off $(date +%%s%%N)\" >> {Relay}");
    }

    [TearDown]
    public void StopDaemon()
    {
        _daemon?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private PduDaemonPowerSwitch Switch(string pdu = "lab-pdu", int outlet = 3, int offSeconds = 1) =>
        new(new PduDaemonOutlet("127.0.0.1", _port, pdu, outlet, TimeSpan.FromSeconds(offSeconds)));

    private List<string[]> Commands() => File.Exists(Relay) ? [.. File.ReadAllLines(Relay).Select(l => l.Split(' '))] : [];

    [Test]
    public async Task On_off_and_reboot_reach_the_outlet_through_pdudaemon()
    {
        using var power = Switch();
        await power.OnAsync();
        await power.OffAsync();
        Assert.That(Commands().Select(c => $"{c[0]} {c[1]}"), Is.EqualTo(new[] { "3 on", "3 off" }), "each request ran its driver before pdudaemon answered");
        await power.ResetAsync();
        var all = Commands();
        Assert.That(all.Skip(2).Select(c => $"{c[0]} {c[1]}"), Is.EqualTo(new[] { "3 off", "3 on" }), "a reboot is off then on");
        var offForMs = (long.Parse(all[3][2], System.Globalization.CultureInfo.InvariantCulture) - long.Parse(all[2][2], System.Globalization.CultureInfo.InvariantCulture)) / 1_000_000;
        Assert.That(offForMs, Is.GreaterThanOrEqualTo(1000), "the board stays off OffSeconds (pdudaemon's delay)");
        TestContext.Out.WriteLine($"reboot through pdudaemon: off for {offForMs} ms");
    }

    [Test]
    public void A_PDU_pdudaemon_does_not_know_is_refused_with_the_settings_to_check()
    {
        using var power = Switch(pdu: "no-such-pdu");
        var e = Assert.ThrowsAsync<PowerSwitchException>(() => power.OnAsync());
        Assert.That(e!.Message, Does.Contain("refused (HTTP 500").And.Contain("Pdu and PduOutlet"));
        Assert.That(Commands(), Is.Empty);
    }

    [Test]
    public void No_pdudaemon_at_the_address_is_a_power_switch_error_naming_the_settings()
    {
        using var power = new PduDaemonPowerSwitch(new PduDaemonOutlet("127.0.0.1", LabDaemon.FreePort(), "lab-pdu", 3, TimeSpan.Zero));
        var e = Assert.ThrowsAsync<PowerSwitchException>(() => power.ResetAsync());
        Assert.That(e!.Message, Does.Contain("could not reach pdudaemon").And.Contain("PduDaemonHost/PduDaemonPort"));
    }
}
