using System.Text.Json;

namespace KernelSoak.Tests.Host;

/// <summary>Classify as a user runs it on a saved log: the direct entry, text and JSON, the campaign's noise rules.</summary>
public class ClassifyCommandTests
{
    private static string Capture(string name) => Path.Combine(Repo.Root, "tests", "KernelSoak.Reports.Tests", "testdata", "corpus", "arm64-6.1", name, "dmesg.txt");

    [Test]
    public void Text_names_each_report_with_its_line()
    {
        var (exit, output, err) = BuildCommandLineTests.Run("--target=Classify", $"--log={Capture("01-corpus_lockdep_abba")}");
        Assert.That(exit, Is.Zero, err);
        Assert.That(output, Does.Contain("report(s)").And.Contain("LOCKDEP").And.Contain("possible deadlock in corpus_lock_b_then_a   (line "));
    }

    [Test]
    public void Json_is_machine_output_only_at_quiet()
    {
        var (exit, output, err) = BuildCommandLineTests.Run("--target=Classify", $"--log={Capture("01-corpus_lockdep_abba")}", "--format=json", "-v", "quiet");
        Assert.That(exit, Is.Zero, err);
        using var json = JsonDocument.Parse(output);
        var first = json.RootElement[0];
        Assert.That(first.GetProperty("title").GetString(), Is.EqualTo("possible deadlock in corpus_lock_b_then_a"));
        Assert.That(first.GetProperty("guilty").GetString(), Is.EqualTo("corpus_lock_b_then_a"));
    }

    [Test]
    public void The_campaigns_suppressions_apply()
    {
        // qemu-bisect's binary e2e variant suppresses lkdtm's WARNING by title; a campaign file is the way in.
        var campaign = Path.Combine(Path.GetTempPath(), $"ks-classify-{Guid.NewGuid():N}.toml");
        var text = File.ReadAllText(Path.Combine(Repo.Root, "campaigns", "qemu-demo.toml"));
        File.WriteAllText(campaign, text.Replace("[monitor]\n", "[monitor]\nsuppress = [\"^WARNING in lkdtm_WARNING_MESSAGE$\"]\n", StringComparison.Ordinal)
            .Replace("\"../", $"\"{Repo.Root}/", StringComparison.Ordinal));
        try
        {
            var (exit, output, err) = BuildCommandLineTests.Run("--target=Classify", $"--log={Capture("20-lkdtm_WARNING_MESSAGE")}", $"--campaign={campaign}");
            Assert.That(exit, Is.Zero, err);
            Assert.That(output, Does.Contain("suppressed as known noise"));
            Assert.That(output, Does.Not.Contain("  WARNING          WARNING in lkdtm_WARNING_MESSAGE"));
        }
        finally
        {
            File.Delete(campaign);
        }
    }

    [Test]
    public void A_missing_log_is_a_one_line_error()
    {
        var (exit, _, err) = BuildCommandLineTests.Run("--target=Classify", "--log=/nonexistent/dmesg.txt");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(err.Trim(), Is.EqualTo("error: --log=/nonexistent/dmesg.txt: no such file"));
    }
}
