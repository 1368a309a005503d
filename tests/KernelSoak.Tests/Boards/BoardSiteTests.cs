using KernelSoak.Boards;
using KernelSoak.Boards.Qemu;
using KernelSoak.Boards.Switches;
using KernelSoak.Processes;
using KernelSoak.Settings;

namespace KernelSoak.Tests.Boards;

/// <summary>Which board the settings name and which power switch drives it, without touching either.</summary>
public class BoardSiteTests
{
    private static BoardSite Site(BoardSettings board, Func<string, string?>? env = null) =>
        new(board, "/tmp/ks-board", "/repo/targets/qemu-arm64", "/keys/id_ed25519", "/home/me", env ?? (_ => null));

    [Test]
    public void The_emulated_board_is_reached_through_its_own_files()
    {
        var site = Site(new BoardSettings { Kind = BoardKind.Qemu, Port = 2299, Host = "ignored" });
        Assert.Multiple(() =>
        {
            Assert.That(site.Emulated?.Files.Directory, Is.EqualTo("/tmp/ks-board"), "the emulated board lives in the board dir");
            Assert.That(site.Endpoint.Host, Is.EqualTo("127.0.0.1"));
            Assert.That(site.Endpoint.IdentityFile, Is.EqualTo(site.Emulated?.Files.IdentityFile).And.StartWith("/tmp/ks-board/"),
                "its own key, not the settings' identity file");
            Assert.That(site.Endpoint.Port, Is.EqualTo(2299), "before the board exists: the settings' port");
        });
    }

    [Test]
    public void A_real_board_is_reached_as_the_settings_say()
    {
        var settings = new BoardSettings { Kind = BoardKind.Ssh, Host = "pi5", Port = 22, User = "ci", Agent = true, Sudo = true };
        var site = Site(settings, name => name == "SSH_AUTH_SOCK" ? "/run/agent.sock" : null);
        Assert.Multiple(() =>
        {
            Assert.That(site.Emulated, Is.Null);
            Assert.That(site.Endpoint.Host, Is.EqualTo("pi5"));
            Assert.That(site.Endpoint.User, Is.EqualTo("ci"));
            Assert.That(site.Endpoint.KnownHostsFile, Is.EqualTo("/home/me/.ssh/known_hosts"));
            Assert.That(site.Endpoint.AgentSocket, Is.EqualTo("/run/agent.sock"));
            Assert.That(site.Endpoint.Sudo, Is.True);
        });
        Assert.That(Site(new BoardSettings { Kind = BoardKind.Lava }).Emulated, Is.Null);
    }

    private static IPowerSwitch Switch(PowerSwitchKind kind, IPowerSwitch? emulated) =>
        PowerSwitches.For(new PowerSettings { Switch = kind, CycleCommand = "relay cycle 1" }, emulated, new CommandRunner(new KernelSoak.Tests.RecordingCommandLog()), _ => { }, "/tmp/ks-confirm/power", null);

    [Test]
    public void Each_switch_kind_makes_its_switch()
    {
        var emulated = new QemuPowerSwitch(new QemuBoardFiles("/tmp/ks-board"));
        Assert.Multiple(() =>
        {
            Assert.That(Switch(PowerSwitchKind.Qemu, emulated), Is.SameAs(emulated));
            Assert.That(Switch(PowerSwitchKind.Qemu, null), Is.InstanceOf<ManualPowerSwitch>(), "no emulator to talk to: a person does it");
            Assert.That(Switch(PowerSwitchKind.Command, null), Is.InstanceOf<CommandPowerSwitch>());
            Assert.That(Switch(PowerSwitchKind.Manual, emulated), Is.InstanceOf<ManualPowerSwitch>());
            Assert.That(() => Switch(PowerSwitchKind.None, emulated), Throws.InstanceOf<PowerSwitchException>());
            Assert.That(PowerSwitches.ForBoot(new PowerSettings { Switch = PowerSwitchKind.None }, () => throw new AssertionException("not made")), Is.Null);
        });
    }
}
