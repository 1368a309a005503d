using System.Net;
using System.Net.Sockets;
using System.Text;
using KernelSoak.Netconsole;
using KernelSoak.Remote;
using KernelSoak.Reports;

namespace KernelSoak.Tests.Netconsole;

public class NetconsoleParserTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Test]
    public void An_extended_record_becomes_a_kmsg_line_and_dictionary_lines_are_dropped()
    {
        var parser = new NetconsoleParser();
        var lines = parser.Feed(B("4,812,20934211,-;WARNING: CPU: 1 PID: 77 at drivers/misc/lkdtm/bugs.c:93 lkdtm_WARNING_MESSAGE+0x4c/0x60\n SUBSYSTEM=misc\n DEVICE=c10:55\n")).ToList();
        Assert.That(lines, Has.Count.EqualTo(1));
        Assert.That(lines[0], Is.EqualTo(new NetconsoleLine("4,812,20934211,-;WARNING: CPU: 1 PID: 77 at drivers/misc/lkdtm/bugs.c:93 lkdtm_WARNING_MESSAGE+0x4c/0x60", 812)));
        Assert.That(LogLine.Parse(lines[0].Line), Is.EqualTo(new LogLine("WARNING: CPU: 1 PID: 77 at drivers/misc/lkdtm/bugs.c:93 lkdtm_WARNING_MESSAGE+0x4c/0x60", 20.934211)));
    }

    [Test]
    public void Fragments_are_joined_in_any_order_and_the_ncfrag_field_is_dropped()
    {
        // The kernel documentation's own example.
        var parser = new NetconsoleParser();
        Assert.That(parser.Feed(B("6,416,1758426,-,ncfrag=16/31; the 2nd chunk.")), Is.Empty);
        Assert.That(parser.IncompleteRecords, Is.EqualTo(1));
        var lines = parser.Feed(B("6,416,1758426,-,ncfrag=0/31;the first chunk,")).ToList();
        Assert.That(lines.Single().Line, Is.EqualTo("6,416,1758426,-;the first chunk, the 2nd chunk."));
        Assert.That(parser.IncompleteRecords, Is.Zero);
    }

    [Test]
    public void A_long_report_line_split_at_1000_bytes_is_whole_again_and_a_duplicate_fragment_changes_nothing()
    {
        var text = "BUG: KASAN: use-after-free in lkdtm_WARNING_MESSAGE+0x" + new string('a', 1500);
        var bytes = B(text);
        var parser = new NetconsoleParser();
        var header = $"3,900,30000000,-,ncfrag=";
        var first = parser.Feed([.. B($"{header}0/{bytes.Length};"), .. bytes[..1000]]).ToList();
        var again = parser.Feed([.. B($"{header}0/{bytes.Length};"), .. bytes[..1000]]).ToList();
        var last = parser.Feed([.. B($"{header}1000/{bytes.Length};"), .. bytes[1000..]]).ToList();
        Assert.That((first.Count, again.Count), Is.EqualTo((0, 0)));
        Assert.That(last.Single().Line, Is.EqualTo($"3,900,30000000,-;{text}"));
    }

    [Test]
    public void The_release_prefix_of_the_r_flag_is_taken_off()
    {
        var line = new NetconsoleParser().Feed(B("6.12.9-amd64,6,17,1000,-;hello\n")).Single();
        Assert.That(line, Is.EqualTo(new NetconsoleLine("6,17,1000,-;hello", 17)));
    }

    [Test]
    public void Plain_console_text_is_split_into_lines_across_datagrams()
    {
        var parser = new NetconsoleParser();
        var lines = parser.Feed(B("[   12.345678] first line\n[   12.400000] second ")).Select(l => l.Line).ToList();
        lines.AddRange(parser.Feed(B("half\n[   12.5] tail without newline")).Select(l => l.Line));
        lines.AddRange(parser.Flush().Select(l => l.Line));
        Assert.That(lines, Is.EqualTo(new[] { "[   12.345678] first line", "[   12.400000] second half", "[   12.5] tail without newline" }));
    }

    [Test]
    public void Plain_text_with_no_newline_for_megabytes_is_cut_at_the_cap_marked_and_the_next_line_is_whole()
    {
        var parser = new NetconsoleParser();
        var lines = parser.Feed(B("[ 1.0] start ")).ToList();
        for (var i = 0; i < 3000; i++) lines.AddRange(parser.Feed(B(new string('j', 1000)))); // 3 MB, as ~1 KB datagrams
        lines.AddRange(parser.Feed(B("jjj\n[ 2.0] BUG: KASAN: use-after-free in f+0x1/0x2\n")));
        Assert.That(lines.Select(l => l.Line.Length), Is.EqualTo(new[] { LineSplitter.DefaultMaxLineBytes + CutMark.Length, "[ 2.0] BUG: KASAN: use-after-free in f+0x1/0x2".Length }));
        Assert.That(lines[0].Line, Does.StartWith("[ 1.0] start jjj").And.EndWith(CutMark));
        Assert.That(lines[1].Line, Is.EqualTo("[ 2.0] BUG: KASAN: use-after-free in f+0x1/0x2"));
    }

    private static readonly string CutMark = new LineSplitter(Encoding.UTF8).CutMark;

    [Test]
    public void A_record_announcing_more_than_the_cap_is_handed_on_cut_from_its_first_fragment_and_never_allocated()
    {
        var parser = new NetconsoleParser();
        var first = parser.Feed(B("4,50,1000,-,ncfrag=0/2000000000;BUG: huge record\n")).ToList();
        var later = parser.Feed(B("4,50,1000,-,ncfrag=1000/2000000000;more")).ToList();
        Assert.That(first.Single(), Is.EqualTo(new NetconsoleLine("4,50,1000,-;BUG: huge record" + CutMark, 50)));
        Assert.That((later.Count, parser.IncompleteRecords), Is.EqualTo((0, 0)));
    }

    [Test]
    public void Records_whose_other_fragments_never_come_are_bounded_in_number_and_still_counted()
    {
        var parser = new NetconsoleParser();
        for (var seq = 0; seq < 1000; seq++) Assert.That(parser.Feed(B($"4,{seq},1000,-,ncfrag=0/8000;lost {seq}")), Is.Empty);
        Assert.That(parser.IncompleteRecords, Is.EqualTo(1000), "every one counted");
        Assert.That(parser.WaitingRecords, Is.EqualTo(NetconsoleParser.MaxPendingRecords), "only the newest wait for their fragments");
        var late = parser.Feed(B("4,999,1000,-,ncfrag=8/8000;" + new string('x', 7992))).ToList();
        Assert.That(late.Single().Line, Is.EqualTo("4,999,1000,-;lost 999" + new string('x', 7992)), "a recent record still completes");
    }

    [Test]
    public void Plain_text_that_merely_has_commas_and_a_semicolon_is_not_taken_for_an_extended_header()
    {
        var line = new NetconsoleParser().Feed(B("[    1.0] a,b,c,d; not a header\n")).Single();
        Assert.That(line.Sequence, Is.Null);
        Assert.That(line.Line, Is.EqualTo("[    1.0] a,b,c,d; not a header"));
    }

    [Test]
    public async Task The_receiver_keeps_every_datagram_verbatim_and_hands_the_lines_on()
    {
        var dir = Directory.CreateTempSubdirectory("ks-nc-").FullName;
        var raw = Path.Combine(dir, "netconsole.log");
        var lines = new List<NetconsoleLine>();
        await using (var receiver = new NetconsoleReceiver(new IPEndPoint(IPAddress.Loopback, 0), raw))
        {
            using var cts = new CancellationTokenSource();
            var running = receiver.RunAsync(l => { lock (lines) lines.Add(l); }, cts.Token);
            using var sender = new UdpClient();
            string[] datagrams = ["6,1,100,-;one\n", "6,2,200,-,ncfrag=0/8;tw", "6,2,200,-,ncfrag=2/8;o half", "[ 3.0] plain\n"];
            foreach (var d in datagrams) await sender.SendAsync(B(d), receiver.LocalEndpoint);
            for (var i = 0; i < 50 && receiver.Datagrams < datagrams.Length; i++) await Task.Delay(20);
            await cts.CancelAsync();
            await running;
            Assert.That(File.ReadAllText(raw), Is.EqualTo(string.Concat(datagrams)));
        }
        Assert.That(lines.Select(l => l.Line), Is.EqualTo(new[] { "6,1,100,-;one", "6,2,200,-;two half", "[ 3.0] plain" }));
        Directory.Delete(dir, true);
    }

    [Test]
    public void A_port_in_use_is_a_clear_error()
    {
        using var taken = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var e = Assert.Throws<InvalidOperationException>(() => new NetconsoleReceiver((IPEndPoint)taken.Client.LocalEndPoint!, Path.GetTempFileName()));
        Assert.That(e!.Message, Does.Contain("[Netconsole] HostAddress/HostPort"));
    }
}
