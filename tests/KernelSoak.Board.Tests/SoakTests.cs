using System.Diagnostics;
using System.Text.Json;
using System.Xml.Linq;

namespace KernelSoak.Board.Tests;

/// <summary>
/// The whole graph on the emulated board, as a user runs it: configure, build (ccache), install, boot the
/// test label over the serial menu (the console a tty), stress with a workload that makes the real kernel WARN, harvest,
/// verdict and reports — then the same command again, which rebuilds and re-deploys nothing.
/// </summary>
[TestFixture, NonParallelizable, Order(3)]
public class SoakTests
{
    private E2eCampaign _campaign = null!;

    [OneTimeSetUp]
    public void WriteCampaign() => _campaign = new E2eCampaign("e2e");

    [OneTimeTearDown]
    public void Remove() => _campaign.Dispose();

    private (int Exit, string Output) Build(params string[] args) => _campaign.Build(args);

    private string _dryRun = "";

    [Test, Order(1)]
    public void Soak_catches_the_kernel_WARNING_and_reports_it()
    {
        // The console is the board's serial line as a tty device (a USB-UART's code path), not QEMU's socket.
        using var lab = new LabLinks();
        string[] args = ["--target=Soak", "--console-kind=tty", $"--console-device={lab.Tty}", "--console-baud=115200"];
        _dryRun = Build([.. args, "--dryrun"]).Output;
        var (exit, output) = Build(args);
        Assert.That(exit, Is.Not.Zero, "a report makes the soak fail");
        Assert.That(output, Does.Contain("config verified: "));
        Assert.That(output, Does.Contain($"pass  console     {lab.Tty} at 115200 8N1"), "preflight opens the tty before anything boots");
        Assert.That(output, Does.Contain("U-Boot menu: chose 2 (kernelsoak"), "the label was typed at U-Boot's menu over the tty");
        Assert.That(output, Does.Contain("boot: Kernel at").And.Contain("boot: Shell at"), "the boot followed on the tty");
        Assert.That(File.ReadAllText(Path.Combine(_campaign.Dir, "soak", "console.log")), Does.Contain("Enter choice:").And.Contain("Linux version 6."),
            "the boot's console, captured from the reboot on, is kept with the probe");
        Assert.That(output, Does.Contain("REPORT WARNING: WARNING in lkdtm_WARNING_MESSAGE"));
        Assert.That(output, Does.Contain("extlinux: label kernelsoak"));
        using (var ssh = Remote.SshTarget.ConnectAsync(BoardFixture.Board.Endpoint).GetAwaiter().GetResult())
            Assert.That(ssh.CheckAsync("cat /boot/firmware/extlinux/extlinux.conf").GetAwaiter().GetResult(), Does.Contain("\ndefault known-good\n"),
                "the board's default label is never changed");

        var dir = Path.Combine(_campaign.Dir, "soak");
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
        var probe = results.RootElement.GetProperty("probes")[0];
        Assert.That(probe.GetProperty("verdict").GetString(), Is.EqualTo("report"));
        Assert.That(probe.GetProperty("reports")[0].GetProperty("title").GetString(), Is.EqualTo("WARNING in lkdtm_WARNING_MESSAGE"));
        Assert.That(results.RootElement.GetProperty("outcome").GetString(), Is.EqualTo("Success"), "the campaign's exit rule for a report");
        var junit = XDocument.Load(Path.Combine(dir, "junit.xml"));
        Assert.That(junit.Descendants("failure").Single().Attribute("message")!.Value, Is.EqualTo("WARNING in lkdtm_WARNING_MESSAGE"));
        Assert.That(File.ReadAllText(Path.Combine(dir, "summary.md")), Does.Contain("| soak | 1 | report | WARNING in lkdtm_WARNING_MESSAGE |"));
        Assert.That(File.ReadAllText(Path.Combine(dir, "kmsg.log")), Does.Contain("lkdtm_WARNING_MESSAGE"), "the raw stream is kept verbatim");
    }

    [Test, Order(2)]
    public void Every_command_the_soak_ran_was_printed_by_its_dry_run_before()
    {
        Assert.That(_dryRun, Does.Contain("step soak/stress"), "the dry run of the first test ran");
        _campaign.AssertAnnounced(_dryRun);
    }

    [Test, Order(3)]
    public void Re_running_rebuilds_and_redeploys_nothing()
    {
        var (_, output) = Build("--target=Soak");
        Assert.That(output, Does.Contain("skip kernel/build"));
        Assert.That(output, Does.Contain("skip install/modules").And.Contain("skip install/image").And.Contain("skip install/extlinux"));
        Assert.That(output, Does.Contain("REPORT WARNING: WARNING in lkdtm_WARNING_MESSAGE"), "the same bug is found again");
    }

    [Test, Order(4)]
    public void Editing_one_source_file_rebuilds_incrementally_and_only_then()
    {
        // The source tree is shared through the cache: the edit is reverted whatever happens.
        // The campaign's own worktree (its patches live there): the edit touches nothing shared.
        var source = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "kernelsoak", "trees", _campaign.Id);
        var file = Path.Combine(source, "drivers", "misc", "lkdtm", "bugs.c");
        var original = File.ReadAllText(file);
        try
        {
            File.AppendAllText(file, "\n/* kernelsoak e2e: an edit */\n");
            var (exit, output) = Build("--target=CompileKernel", "--exclusive");
            Assert.That(exit, Is.Zero, output);
            Assert.That(output, Does.Not.Contain("skip kernel/build"), "an edited file means make runs");
            var log = File.ReadAllText(Path.Combine(_campaign.Dir, "log", "kernel-build.log"));
            Assert.That(log, Does.Contain("drivers/misc/lkdtm/bugs.o"));
            Assert.That(log.Split('\n').Count(l => l.TrimStart().StartsWith("CC ", StringComparison.Ordinal)), Is.LessThan(20), "incremental, not a rebuild");
        }
        finally
        {
            File.WriteAllText(file, original);
        }
        var (_, again) = Build("--target=CompileKernel", "--exclusive");
        var (_, third) = Build("--target=CompileKernel", "--exclusive");
        Assert.That(third, Does.Contain("skip kernel/build"), "unchanged since the last build: make is skipped");
        _ = again;
    }
}
