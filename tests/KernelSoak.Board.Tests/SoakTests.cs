using System.Diagnostics;
using System.Text.Json;
using System.Xml.Linq;

namespace KernelSoak.Board.Tests;

/// <summary>
/// The whole graph on the emulated board, as a user runs it: configure, build (ccache), install, boot the
/// test label over the serial menu, stress with a workload that makes the real kernel WARN, harvest,
/// verdict and reports — then the same command again, which rebuilds and re-deploys nothing.
/// </summary>
[TestFixture, NonParallelizable]
public class SoakTests
{
    private string _artifacts = "";
    private string _campaign = "";

    [OneTimeSetUp]
    public void WriteCampaign()
    {
        _artifacts = Directory.CreateTempSubdirectory("ks-soak-").FullName;
        var demo = File.ReadAllText(Path.Combine(BoardFixture.RepoRoot, "campaigns", "qemu-demo.toml"));
        var stress = demo.IndexOf("[[stress]]", StringComparison.Ordinal);
        var monitor = demo.IndexOf("[monitor]", StringComparison.Ordinal);
        var text = demo[..stress].Replace("id = \"qemu-demo\"", "id = \"e2e-soak\"", StringComparison.Ordinal)
            .Replace("../targets/qemu-arm64/kernel.fragment", Path.Combine(BoardFixture.RepoRoot, "targets", "qemu-arm64", "kernel.fragment"), StringComparison.Ordinal)
            + """
              [[stress]]
              name = "lkdtm-warning"
              description = "a workload that makes the real kernel WARN"
              commands = ["modprobe lkdtm; echo WARNING > /sys/kernel/debug/provoke-crash/DIRECT; sleep 5"]
              duration_s = 12

              """ + demo[monitor..];
        _campaign = Path.Combine(_artifacts, "e2e-soak.toml");
        File.WriteAllText(_campaign, text);
    }

    [OneTimeTearDown]
    public void Remove() => Directory.Delete(_artifacts, recursive: true);

    private (int Exit, string Output) Build(params string[] args)
    {
        var host = Path.Combine(TestContext.CurrentContext.TestDirectory, "KernelSoak.Build.dll");
        var psi = new ProcessStartInfo("dotnet", [host, .. args, $"--campaign={_campaign}", $"--board-directory={BoardFixture.Board.Files.Directory}",
            $"--board-port={BoardFixture.Board.Files.SshPort}", $"--paths-artifacts={_artifacts}"])
        { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = BoardFixture.RepoRoot };
        psi.Environment["KERNELSOAK_ROOT"] = BoardFixture.RepoRoot;
        psi.Environment["NO_COLOR"] = "1";
        using var p = Process.Start(psi)!;
        var output = new System.Text.StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data is null) return; lock (output) output.AppendLine(e.Data); TestContext.Progress.WriteLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is null) return; lock (output) output.AppendLine(e.Data); TestContext.Progress.WriteLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        Assert.That(p.WaitForExit(TimeSpan.FromMinutes(20)), Is.True, "the soak finished");
        p.WaitForExit();
        return (p.ExitCode, output.ToString());
    }

    [Test, Order(1)]
    public void Soak_catches_the_kernel_WARNING_and_reports_it()
    {
        var (exit, output) = Build("--target=Soak");
        Assert.That(exit, Is.Not.Zero, "a report makes the soak fail");
        Assert.That(output, Does.Contain("config verified: "));
        Assert.That(output, Does.Contain("U-Boot menu: chose 2 (kernelsoak"));
        Assert.That(output, Does.Contain("REPORT WARNING: WARNING in lkdtm_WARNING"));
        Assert.That(output, Does.Contain("default stays known-good"));

        var dir = Path.Combine(_artifacts, "e2e-soak", "soak");
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
        var probe = results.RootElement.GetProperty("probes")[0];
        Assert.That(probe.GetProperty("verdict").GetString(), Is.EqualTo("report"));
        Assert.That(probe.GetProperty("reports")[0].GetProperty("title").GetString(), Is.EqualTo("WARNING in lkdtm_WARNING"));
        Assert.That(results.RootElement.GetProperty("outcome").GetString(), Is.EqualTo("Failure"), "the campaign's exit rule for a report");
        var junit = XDocument.Load(Path.Combine(dir, "junit.xml"));
        Assert.That(junit.Descendants("failure").Single().Attribute("message")!.Value, Is.EqualTo("WARNING in lkdtm_WARNING"));
        Assert.That(File.ReadAllText(Path.Combine(dir, "summary.md")), Does.Contain("| soak | 1 | report | WARNING in lkdtm_WARNING |"));
        Assert.That(File.ReadAllText(Path.Combine(dir, "kmsg.log")), Does.Contain("lkdtm_WARNING"), "the raw stream is kept verbatim");
    }

    [Test, Order(2)]
    public void Re_running_rebuilds_and_redeploys_nothing()
    {
        var (_, output) = Build("--target=Soak");
        Assert.That(output, Does.Contain("skip kernel/build"));
        Assert.That(output, Does.Contain("skip install/modules").And.Contain("skip install/image").And.Contain("skip install/extlinux"));
        Assert.That(output, Does.Contain("REPORT WARNING: WARNING in lkdtm_WARNING"), "the same bug is found again");
    }
}
