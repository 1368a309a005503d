using System.Text.Json;

namespace KernelSoak.Lava.Tests;

/// <summary>
/// The build host as a user runs it with [Board] Kind = lava, against the local LAVA (scripts/lava-local.sh):
/// Bisect0001 of campaigns/qemu-bisect.toml (its kernel built here, then one LAVA job) is killed as soon as its
/// job is submitted, and the re-run reattaches to that job instead of submitting another.
/// </summary>
[TestFixture, NonParallelizable]
public class LavaBoardTests : LavaCampaignFixture
{
    protected override string Id => "lava-e2e";

    /// <summary>
    /// qemu-bisect with patch 0001 only, no baseline, and a stress the busybox root disk can run: the built
    /// modules do not reach LAVA's root disk (docs/farm.md), so lkdtm is not loaded; the probe is clean.
    /// </summary>
    protected override string Campaign(string text, string artifacts)
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
        var first = Host("Bisect0001", killWhenSubmitted: true);
        var id = LavaHost.SubmittedLine().Match(first.Output) is { Success: true } m ? m.Groups[1].Value : null;
        Assert.That(id, Is.Not.Null, "the first run submitted a job before it was killed:\n" + LavaHost.Tail(first.Output));

        var second = Host("Bisect0001", killWhenSubmitted: false);
        Assert.That(second.Exit, Is.Zero, LavaHost.Tail(second.Output));
        Assert.That(second.Output, Does.Contain($"reattaching to LAVA job {id}"));
        var notes = File.ReadLines(Path.Combine(Artifacts, Id, "journal"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("note", out var n) && n.GetString() == "lava job submitted").ToList();
        Assert.That(notes.First().GetProperty("outputs").GetProperty("job_id").GetString(), Is.EqualTo(id), "the job id was journalled");
        Assert.That(notes.First().GetProperty("step").GetString(), Is.EqualTo("bisect/0001/lava"));
        using var verdict = JsonDocument.Parse(File.ReadAllText(Path.Combine(Artifacts, Id, "bisect", "0001", "verdict.json")));
        Assert.That(verdict.RootElement.GetProperty("verdict").GetString(), Is.EqualTo("clean"));
        Assert.That(File.ReadAllText(Path.Combine(Artifacts, Id, "bisect", "summary.md")), Does.Contain("| 0001 | 1 | clean |"));
        var token = File.ReadAllText(Path.Combine(LocalLava.Dir, "token")).Trim();
        Assert.That(first.Output + second.Output, Does.Not.Contain(token), "the token is never logged");
        Assert.That(File.ReadAllText(Path.Combine(Artifacts, Id, "log", "run.log")), Does.Not.Contain(token));
    }

}
