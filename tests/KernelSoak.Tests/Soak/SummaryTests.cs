using System.Text.Json;
using KernelSoak.Soak;

namespace KernelSoak.Tests.Soak;

/// <summary>summary.md as a person reads it the next morning: what ran, where, how long, and each report's essentials.</summary>
public class SummaryTests
{
    [Test]
    public void Summary_names_kernel_config_board_stress_times_logs_and_each_reports_first_line_and_guilty_frame()
    {
        var dir = Directory.CreateTempSubdirectory("ks-summary-").FullName;
        var config = Path.Combine(dir, ".config");
        File.WriteAllText(config, "CONFIG_KASAN=y\n");
        var uaf = new ReportSummary("KASAN", "KASAN: slab-use-after-free Read in corpus_uaf", "corpus_uaf", "ssh,netconsole", 2,
            "BUG: KASAN: slab-use-after-free in corpus_uaf+0x5c/0x90", "BUG: KASAN: slab-use-after-free in corpus_uaf+0x5c/0x90\n...");
        var run = new RunFacts("6.1.158-ks", RunFacts.ConfigHash(config), "qemu at 127.0.0.1:2222",
            [new StressOutcome("desktop", "stress-ng --vm 2 | tee x", 3, 1)], 61.4,
            new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 1, 2, 21, 30, TimeSpan.Zero), "/a/soak/1");
        ResultsWriter.Write(dir, "qemu-demo", [new ProbeRecord("soak", 1, Verdicts.Report, [uaf], [], dir, 61.4, null)],
            new HashSet<string>(), "Failure", "bisect it", run);

        var md = File.ReadAllText(Path.Combine(dir, "summary.md"));
        Assert.That(md, Does.Contain("| kernel | `6.1.158-ks` |"));
        Assert.That(md, Does.Contain($"| config sha256 | `{RunFacts.ConfigHash(config)[..16]}…` |"));
        Assert.That(md, Does.Contain("| board | qemu at 127.0.0.1:2222 |"));
        Assert.That(md, Does.Contain("desktop: `stress-ng --vm 2 \\| tee x` ×3, 1 non-zero exits"));
        Assert.That(md, Does.Contain("| stressed for | 61 s |"));
        Assert.That(md, Does.Contain("2026-12-01 02:00:00 UTC / 2026-12-01 02:21:30 UTC (21.5 min)"));
        Assert.That(md, Does.Contain("| logs | `/a/soak/1`"));
        Assert.That(md, Does.Contain("- first line: `BUG: KASAN: slab-use-after-free in corpus_uaf+0x5c/0x90`"));
        Assert.That(md, Does.Contain("- guilty frame: `corpus_uaf`"));

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
        Assert.That(json.RootElement.GetProperty("run").GetProperty("kernel_release").GetString(), Is.EqualTo("6.1.158-ks"));
        Directory.Delete(dir, true);
    }

    [Test]
    public void A_missing_config_is_named_unknown_not_an_error() =>
        Assert.That(RunFacts.ConfigHash("/nonexistent/.config"), Is.EqualTo("unknown"));
}
