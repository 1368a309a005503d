using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace KernelSoak.Board.Tests;

/// <summary>
/// One soak window on the emulated board with netconsole on: lkdtm's WARNING, a lockdep AB-BA inversion
/// (the corpus trigger, built against the campaign's kernel as an out-of-tree module), a KASAN
/// use-after-free and a list corruption arrive over both SSH and netconsole; then a panic, which only
/// netconsole can tell (SSH dies with the kernel), and which pstore still holds after the power cycle.
/// </summary>
[TestFixture, NonParallelizable, Order(7)]
public class NetconsoleTests
{
    // Each test in its own shell: an oops kills the process that triggered it. The inversion comes before
    // KASAN: a KASAN report taints the kernel "lockdep unreliable", and lockdep switches itself off.
    private const string Crashes =
        "modprobe lkdtm; modprobe corpus_trigger; sh -c \\\"echo WARNING > /sys/kernel/debug/provoke-crash/DIRECT\\\"; sleep 2; " +
        "echo lockdep_abba > /sys/kernel/debug/corpus_trigger/trigger; sleep 3; " +
        "for t in READ_AFTER_FREE CORRUPT_LIST_ADD; do sh -c \\\"echo $t > /sys/kernel/debug/provoke-crash/DIRECT\\\"; sleep 2; done; " +
        "sleep 3; echo PANIC > /sys/kernel/debug/provoke-crash/DIRECT";

    private E2eCampaign _campaign = null!;
    private int _port;

    [OneTimeSetUp]
    public void WriteCampaign()
    {
        using (var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
            _port = ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
        _campaign = new E2eCampaign("e2e", text =>
        {
            var stress = text.IndexOf("[[stress]]", StringComparison.Ordinal);
            var monitor = text.IndexOf("[monitor]", StringComparison.Ordinal);
            var rules = text.IndexOf("[[exit_rule]]", StringComparison.Ordinal);
            return text[..stress] +
                   $"[[stress]]\nname = \"lkdtm-crashes\"\ncommands = [\"{Crashes}\"]\nduration_s = 40\n\n" +
                   "[monitor]\nheartbeat_s = 2\nwedge_timeout_s = 10\nnetconsole = true\n\n" + text[rules..];
        });
    }

    [OneTimeTearDown]
    public void Remove() => _campaign.Dispose();

    [Test]
    public void Reports_arrive_over_ssh_and_netconsole_and_a_panic_over_netconsole_and_pstore()
    {
        var (exit, output) = _campaign.BuildAsAnnounced("--target=Soak", $"--netconsole-host-port={_port}");
        Assert.That(exit, Is.Not.Zero, "reports make the soak fail");
        Assert.That(output, Does.Contain($"netconsole: board eth0 → 10.0.2.2:{_port}"));
        Assert.That(output, Does.Contain("WEDGE: no SSH answer"), "the panic takes SSH down");
        Assert.That(output, Does.Contain("the board is wedged: power-cycling the board"), "the dead board is power-cycled for the harvest");

        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(_campaign.Dir, "soak", "results.json")));
        var reports = results.RootElement.GetProperty("probes")[0].GetProperty("reports").EnumerateArray()
            .ToDictionary(r => r.GetProperty("title").GetString()!, r => r.GetProperty("source").GetString()!);
        TestContext.Progress.WriteLine(string.Join("\n", reports.Select(r => $"{r.Key} [{r.Value}]")));
        Assert.Multiple(() =>
        {
            Assert.That(reports, Does.ContainKey("WARNING in lkdtm_WARNING"));
            Assert.That(reports, Does.ContainKey("possible deadlock in corpus_lock_b_then_a"), "lockdep's inversion, named by the frame that took the second lock");
            Assert.That(reports, Does.ContainKey("KASAN: use-after-free Read in lkdtm_READ_AFTER_FREE"));
            Assert.That(reports, Does.ContainKey("BUG: corrupted list in lkdtm_CORRUPT_LIST_ADD"));
            Assert.That(reports.Keys, Has.Some.StartsWith("kernel panic"));
            foreach (var (title, source) in reports)
                Assert.That(source, Does.Contain("netconsole"), title);
            Assert.That(reports["WARNING in lkdtm_WARNING"], Does.Contain("ssh"));
            Assert.That(reports["possible deadlock in corpus_lock_b_then_a"], Does.Contain("ssh"));
            var panic = reports.First(r => r.Key.StartsWith("kernel panic", StringComparison.Ordinal)).Value;
            Assert.That(panic, Does.Not.Contain("ssh"), "SSH was gone before the panic's text could travel over it");
            Assert.That(panic, Does.Contain("pstore"), "pstore held it too after the power cycle");
        });
        Assert.That(File.ReadAllText(Path.Combine(_campaign.Dir, "soak", "netconsole.log")), Does.Contain("Kernel panic - not syncing"), "raw stream kept");
        var merged = File.ReadAllText(Path.Combine(_campaign.Dir, "soak", "merged.log"));
        Assert.That(merged, Does.Contain("netconsole+ssh").And.Contain("netconsole      Kernel panic - not syncing: dumptest"), "one stream: shared lines once, the panic from netconsole");
    }
}
