using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace KernelSoak.Lava.Tests;

/// <summary>
/// The build host as a user runs it with [Board] Kind = lava, against the local LAVA (scripts/lava-local.sh):
/// Bisect0001 of campaigns/qemu-bisect.toml (its kernel built here, then one LAVA job) is killed as soon as its
/// job is submitted, and the re-run reattaches to that job instead of submitting another. Ignored, saying why,
/// without LAVA, the emulated board's cached kernel, Debian's linux-source-6.1 or the arm64 cross compiler.
/// </summary>
[TestFixture, NonParallelizable]
public partial class LavaBoardTests
{
    private LocalLava _lava = null!;
    private string _artifacts = "";
    private string _campaign = "";
    private const string Id = "lava-e2e";

    [OneTimeSetUp]
    public async Task Start()
    {
        if (!File.Exists("/usr/src/linux-source-6.1.tar.xz")) Assert.Ignore("no /usr/src/linux-source-6.1.tar.xz: apt-get install linux-source-6.1 (the campaign's kernel tree)");
        if (!File.Exists("/usr/bin/aarch64-linux-gnu-gcc")) Assert.Ignore("no aarch64-linux-gnu-gcc: apt-get install gcc-aarch64-linux-gnu");
        _lava = await LocalLava.StartAsync();
        _artifacts = Directory.CreateTempSubdirectory("ks-lava-e2e-").FullName;
        _campaign = Path.Combine(_artifacts, $"{Id}.toml");
        File.WriteAllText(_campaign, Campaign(File.ReadAllText(Path.Combine(LocalLava.RepoRoot(), "campaigns", "qemu-bisect.toml"))));
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_lava is not null) await _lava.DisposeAsync();
        if (_artifacts.Length > 0) Directory.Delete(_artifacts, recursive: true);
    }

    /// <summary>
    /// qemu-bisect with patch 0001 only, no baseline, and a stress the busybox root disk can run: the built
    /// modules do not reach LAVA's root disk (docs/farm.md), so lkdtm is not loaded; the probe is clean.
    /// </summary>
    private static string Campaign(string text)
    {
        var root = LocalLava.RepoRoot();
        var cut = text.IndexOf("[[series.patches]]\nid = \"0002\"", StringComparison.Ordinal);
        var stress = text.IndexOf("[[stress]]", cut, StringComparison.Ordinal);
        var monitor = text.IndexOf("[monitor]", stress, StringComparison.Ordinal);
        return (text[..cut] + "[[stress]]\nname = \"uptime\"\ncommands = [\"cat /proc/uptime; sleep 2\"]\nduration_s = 10\n\n" + text[monitor..])
            .Replace("id = \"qemu-bisect\"", $"id = \"{Id}\"", StringComparison.Ordinal)
            .Replace("baseline = true", "baseline = false", StringComparison.Ordinal)
            .Replace("\"../targets/", $"\"{root}/targets/", StringComparison.Ordinal)
            .Replace("\"../tests/", $"\"{root}/tests/", StringComparison.Ordinal);
    }

    [Test]
    public void Bisect0001_as_a_LAVA_job_a_killed_host_reattaches_and_the_verdict_lands_in_the_probe_store()
    {
        var first = Host(killWhenSubmitted: true);
        var id = SubmittedLine().Match(first.Output) is { Success: true } m ? m.Groups[1].Value : null;
        Assert.That(id, Is.Not.Null, "the first run submitted a job before it was killed:\n" + Tail(first.Output));

        var second = Host(killWhenSubmitted: false);
        Assert.That(second.Exit, Is.Zero, Tail(second.Output));
        Assert.That(second.Output, Does.Contain($"reattaching to LAVA job {id}"));
        var notes = File.ReadLines(Path.Combine(_artifacts, Id, "journal"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("note", out var n) && n.GetString() == "lava job submitted").ToList();
        Assert.That(notes.First().GetProperty("outputs").GetProperty("job_id").GetString(), Is.EqualTo(id), "the job id was journalled");
        Assert.That(notes.First().GetProperty("step").GetString(), Is.EqualTo("bisect/0001/lava"));
        using var verdict = JsonDocument.Parse(File.ReadAllText(Path.Combine(_artifacts, Id, "bisect", "0001", "verdict.json")));
        Assert.That(verdict.RootElement.GetProperty("verdict").GetString(), Is.EqualTo("clean"));
        Assert.That(File.ReadAllText(Path.Combine(_artifacts, Id, "bisect", "summary.md")), Does.Contain("| 0001 | 1 | clean |"));
        var token = File.ReadAllText(Path.Combine(LocalLava.Dir, "token")).Trim();
        Assert.That(first.Output + second.Output, Does.Not.Contain(token), "the token is never logged");
        Assert.That(File.ReadAllText(Path.Combine(_artifacts, Id, "log", "run.log")), Does.Not.Contain(token));
    }

    [GeneratedRegex(@"LAVA job (\d+) submitted")]
    private static partial Regex SubmittedLine();

    private static string Tail(string output) => output.Length <= 6000 ? output : output[^6000..];

    /// <summary>dotnet KernelSoak.Build.dll --target=Bisect0001 --board-kind=lava …, SIGKILLed as soon as it says it submitted a job when asked.</summary>
    private (int Exit, string Output) Host(bool killWhenSubmitted)
    {
        var root = LocalLava.RepoRoot();
        var psi = new ProcessStartInfo("dotnet",
        [
            Path.Combine(TestContext.CurrentContext.TestDirectory, "KernelSoak.Build.dll"), "--target=Bisect0001", $"--campaign={_campaign}",
            "--board-kind=lava", $"--lava-server={File.ReadAllText(Path.Combine(LocalLava.Dir, "url")).Trim()}",
            $"--lava-token-file={Path.Combine(LocalLava.Dir, "token")}", $"--lava-device-type={LocalLava.Device}",
            $"--lava-root-disk={_lava.RootDisk}", "--lava-poll-seconds=2", $"--paths-artifacts={_artifacts}",
        ])
        { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        psi.Environment["KERNELSOAK_ROOT"] = root;
        psi.Environment["NO_COLOR"] = "1";
        using var host = new Process { StartInfo = psi };
        var output = new StringBuilder();
        void Line(string? line)
        {
            if (line is null) return;
            lock (output) output.AppendLine(line);
            TestContext.Progress.WriteLine(line);
            if (killWhenSubmitted && SubmittedLine().IsMatch(line))
            {
                TestContext.Progress.WriteLine("== SIGKILL: the host dies with its job submitted");
                try { host.Kill(); } catch (InvalidOperationException) { }
            }
        }
        host.OutputDataReceived += (_, e) => Line(e.Data);
        host.ErrorDataReceived += (_, e) => Line(e.Data);
        host.Start();
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        Assert.That(host.WaitForExit(TimeSpan.FromMinutes(60)), Is.True, "the build host finished");
        host.WaitForExit();
        lock (output) return (host.ExitCode, output.ToString());
    }
}
