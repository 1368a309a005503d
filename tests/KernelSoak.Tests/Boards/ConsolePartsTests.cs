using KernelSoak.Boards.Consoles;
using KernelSoak.Boards.Strategy;
using KernelSoak.Boards.Switches;
using static KernelSoak.Boards.Consoles.TelnetCodec;

namespace KernelSoak.Tests.Boards;

/// <summary>The pure parts of consoles and power: telnet's negotiation, U-Boot's menu, pdudaemon's request.</summary>
public class ConsolePartsTests
{
    // What ser2net 4.3's telnet(rfc2217) accepter sends on connect (captured on 127.0.0.1).
    private static readonly byte[] Ser2netOpening = [255, 251, 3, 255, 253, 3, 255, 251, 1, 255, 254, 1, 255, 253, 0, 255, 251, 0, 255, 253, 44];

    [Test]
    public void Ser2nets_opening_is_answered_once_and_is_no_data()
    {
        var codec = new TelnetCodec(1500000);
        codec.Opening();
        var bytes = (byte[])Ser2netOpening.Clone();
        var (data, reply) = codec.Decode(bytes);
        Assert.That(data, Is.Zero);
        // DO SGA (their WILL SGA), WILL SGA (their DO), DO ECHO; binary was ours already; com-port accepted with 1500000 8N1.
        Assert.That(reply[..12], Is.EqualTo(new byte[] { Iac, Do, SuppressGoAhead, Iac, Will, SuppressGoAhead, Iac, Do, Echo, Iac, Will, ComPort }));
        Assert.That(reply[12..22], Is.EqualTo(new byte[] { Iac, Sb, ComPort, 1, 0x00, 0x16, 0xE3, 0x60, Iac, Se }), "SET-BAUDRATE 1500000");
        var (again, secondReply) = codec.Decode((byte[])Ser2netOpening.Clone());
        Assert.That((again, secondReply), Is.EqualTo((0, Array.Empty<byte>())), "a repeated request changes nothing: no answer, no loop");
    }

    [Test]
    public void Without_a_baud_the_com_port_option_is_refused()
    {
        var (_, reply) = new TelnetCodec().Decode(new byte[] { Iac, Do, ComPort, Iac, Will, 24 });
        Assert.That(reply, Is.EqualTo(new byte[] { Iac, Wont, ComPort, Iac, Dont, 24 }));
    }

    [Test]
    public void Data_between_commands_survives_split_across_reads_with_escaped_FF_and_CR_NUL()
    {
        var codec = new TelnetCodec();
        var first = new byte[] { (byte)'a', Iac };
        var second = new byte[] { Iac, (byte)'\r', 0, (byte)'b', Iac, Sb, ComPort, 107, 1, Iac, Se, (byte)'c' };
        var (n1, _) = codec.Decode(first);
        var (n2, _) = codec.Decode(second);
        Assert.That(first[..n1].Concat(second[..n2]).ToArray(), Is.EqualTo(new byte[] { (byte)'a', 0xFF, (byte)'\r', (byte)'b', (byte)'c' }),
            "IAC IAC is one 0xFF, the NUL after CR (no binary from the server) and the RFC 2217 notification are not data");
        Assert.That(Escape(new byte[] { 1, 0xFF, 2 }), Is.EqualTo(new byte[] { 1, 0xFF, 0xFF, 2 }));
    }

    [Test]
    public void The_menu_entry_is_found_by_its_label_the_last_menu_winning()
    {
        const string menu = "KernelSoak boot menu\r\n1:\tknown-good Debian\r\n2:\tkstest KernelSoak\r\nEnter choice: \r\n1:\tknown-good Debian\r\n2:\tkstest-old\r\n3:\tkstest KernelSoak\r\n";
        var entries = UBootMenu.Entries(menu);
        Assert.That(UBootMenu.Find(entries, "kstest"), Is.EqualTo(new MenuEntry("3", "kstest KernelSoak")));
        Assert.That(UBootMenu.Find(entries, "kstest-old"), Is.EqualTo(new MenuEntry("2", "kstest-old")));
        Assert.That(UBootMenu.Find(entries, "kst"), Is.Null, "a prefix of a label is not the label");
    }

    [Test]
    public void The_pdudaemon_request_is_the_one_its_README_gives()
    {
        using var power = new PduDaemonPowerSwitch(new PduDaemonOutlet("pdu.lab", 16421, "192.168.10.2", 1, TimeSpan.FromSeconds(10)));
        Assert.That(power.Address("on").ToString(), Is.EqualTo("http://pdu.lab:16421/power/control/on?hostname=192.168.10.2&port=1"));
        Assert.That(power.Address("reboot").ToString(), Is.EqualTo("http://pdu.lab:16421/power/control/reboot?hostname=192.168.10.2&port=1&delay=10"));
    }

    [Test]
    public void Missing_pdudaemon_settings_are_named_before_any_request()
    {
        var e = Assert.Throws<PowerSwitchException>(() => new PduDaemonPowerSwitch(new PduDaemonOutlet("127.0.0.1", 16421, "", 0, TimeSpan.Zero)));
        Assert.That(e!.Message, Does.Contain("[Power] Pdu is empty").And.Contain("[Power] PduOutlet = 0"));
    }

    [Test]
    public void The_console_tail_quotes_the_last_lines_without_control_characters()
    {
        Assert.That(ConsoleText.Tail("a\r\n\r\nb\u001b[0m\r\nc\r\n", 2), Is.EqualTo("b[0m | c"));
        Assert.That(ConsoleText.Tail("", 3), Is.EqualTo("(nothing printed)"));
    }
}
