using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace KernelSoak.Lava.Tests;

/// <summary>
/// A binary search over qemu-bisect's 0001 (clean) and 0002 (a use-after-free) on the local LAVA's two qemu
/// devices: the bad end first (one job), then a round of two jobs at 0001 (the cut and its second attempt),
/// which LAVA runs side by side on the two devices. lkdtm is built in (the built modules do not reach LAVA's
/// root disk), its trigger reached through debugfs.
/// </summary>
[TestFixture, NonParallelizable]
public partial class KaryBisectTests : LavaCampaignFixture
{
    protected override string Id => "lava-kary";

    /// <summary>lkdtm built in: the board's fragment says m, and a typed option of y would not stick against it.</summary>
    protected override string Campaign(string text, string artifacts)
    {
        var fragment = Path.Combine(artifacts, "kernel.fragment");
        File.WriteAllText(fragment, File.ReadAllText(Path.Combine(LocalLava.RepoRoot(), "targets", "qemu-arm64", "kernel.fragment")).Replace("CONFIG_LKDTM=m", "CONFIG_LKDTM=y", StringComparison.Ordinal));
        return Campaign(text, Id, fragment);
    }

    /// <summary>qemu-bisect in binary mode over 0001–0002, lkdtm built in, its WARNING (every kernel's) suppressed by title instead of a baseline probe.</summary>
    public static string Campaign(string text, string id, string fragment)
    {
        var root = LocalLava.RepoRoot();
        var cut = text.IndexOf("[[series.patches]]\nid = \"0003\"", StringComparison.Ordinal);
        var monitor = text.IndexOf("[monitor]", cut, StringComparison.Ordinal);
        const string Stress = "[[stress]]\nname = \"lkdtm-builtin\"\n" +
            "commands = [\"mount -t debugfs none /sys/kernel/debug 2>/dev/null; echo WARNING_MESSAGE > /sys/kernel/debug/provoke-crash/DIRECT; sleep 4\"]\nduration_s = 12\n\n";
        return (text[..cut] + Stress + text[monitor..].Replace("[monitor]\n", "[monitor]\nsuppress = [\"^WARNING in lkdtm_WARNING_MESSAGE$\"]\n", StringComparison.Ordinal))
            .Replace("id = \"qemu-bisect\"", $"id = \"{id}\"", StringComparison.Ordinal)
            .Replace("mode = \"sequential\"", "mode = \"binary\"", StringComparison.Ordinal)
            .Replace("baseline = true", "baseline = false", StringComparison.Ordinal)
            .Replace("name = \"LKDTM\"\nvalue = \"m\"", "name = \"LKDTM\"\nvalue = \"y\"", StringComparison.Ordinal)
            .Replace("\"../targets/qemu-arm64/kernel.fragment\"", $"\"{fragment}\"", StringComparison.Ordinal)
            .Replace("\"../targets/", $"\"{root}/targets/", StringComparison.Ordinal)
            .Replace("\"../tests/", $"\"{root}/tests/", StringComparison.Ordinal);
    }

    [Test]
    public async Task Two_devices_run_a_round_of_two_jobs_at_once_and_the_search_finds_0002()
    {
        var (exit, output) = Host("Bisect", killWhenSubmitted: false, "--lava-boards=2");
        Assert.That(exit, Is.Zero, LavaHost.Tail(output));
        Assert.That(output, Does.Contain("binary search on LAVA: 2 qemu device(s) take jobs"));
        Assert.That(output, Does.Contain("first bad patch 0002, 0001 clean"), LavaHost.Tail(output));
        var jobs = Submitted().Matches(output).ToDictionary(m => m.Groups[2].Value, m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(jobs.Keys, Does.Contain("bisect/0001/probe-1").And.Contain("bisect/0001/probe-2"), "the round at 0001: the cut and its second attempt");

        var (first, second) = (await Job(jobs["bisect/0001/probe-1"]), await Job(jobs["bisect/0001/probe-2"]));
        Assert.That(first.Device, Is.Not.EqualTo(second.Device), "one job on each device");
        Assert.That(first.Start < second.End && second.Start < first.End, Is.True,
            $"the round's jobs overlapped: {first.Device} {first.Start:T}–{first.End:T}, {second.Device} {second.Start:T}–{second.End:T}");
        using var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(Artifacts, Id, "bisect", "0001", "verdict.json")));
        Assert.That(record.RootElement.GetProperty("probes").GetArrayLength(), Is.GreaterThanOrEqualTo(2), "both probes in 0001's record");
        Assert.That(record.RootElement.GetProperty("verdict").GetString(), Is.EqualTo("clean"));
    }

    [GeneratedRegex(@"LAVA job (\d+) submitted \(kernelsoak \S+ (\S+)\)")]
    private static partial Regex Submitted();

    private sealed record LavaTimes(string Device, DateTimeOffset Start, DateTimeOffset End);

    /// <summary>The job's device and start/end times as LAVA recorded them (REST API v0.2).</summary>
    private static async Task<LavaTimes> Job(int id)
    {
        using var http = new HttpClient { BaseAddress = new Uri(File.ReadAllText(Path.Combine(LocalLava.Dir, "url")).Trim()) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", File.ReadAllText(Path.Combine(LocalLava.Dir, "token")).Trim());
        using var job = JsonDocument.Parse(await http.GetStringAsync($"api/v0.2/jobs/{id}/"));
        var e = job.RootElement;
        return new(e.GetProperty("actual_device").GetString()!, DateTimeOffset.Parse(e.GetProperty("start_time").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(e.GetProperty("end_time").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }
}
