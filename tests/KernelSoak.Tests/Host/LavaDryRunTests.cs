namespace KernelSoak.Tests.Host;

/// <summary>[Board] Kind = lava as the dry run shows it: each probe is one {probe}/lava step, nothing is installed, booted or harvested over SSH.</summary>
public class LavaDryRunTests
{
    private static readonly string[] Lava = ["--dryrun", "--board-kind=lava", "--lava-server=http://lava.test:8000/", "--lava-token=TopSecret0123"];

    [Test]
    public void Each_probe_is_one_lava_step_and_the_token_shows_nowhere() => DryRun(_ => ["--target=Bisect0001", "--campaign=qemu-bisect"], (output, err, _) =>
    {
        InOrder(output,
        [
            "board LAVA http://lava.test:8000/, device type qemu", "step preflight: LAVA http://lava.test:8000/", "GET http://lava.test:8000/api/v0.2/devices/?device_type=qemu",
            "step kernel/build:", "step baseline/lava:", "step bisect/0001/apply:", "step bisect/0001/build:",
            "step bisect/0001/lava:", "POST http://lava.test:8000/api/v0.2/jobs/", "step bisect/0001/verdict:",
        ]);
        foreach (var ssh in new[] { "step install/", "/install/", "/boot:", "/stress:", "/harvest:", "ssh -i" })
            Assert.That(output, Does.Not.Contain(ssh), "no SSH board step");
        Assert.That(output + err, Does.Not.Contain("TopSecret0123"));
    });

    [Test]
    public void A_binary_search_on_several_devices_shows_its_round_with_each_probe_keeping_its_kernel() => DryRun(artifacts =>
    {
        var root = Repo.Root;
        var campaign = Path.Combine(artifacts, "round.toml");
        File.WriteAllText(campaign, File.ReadAllText(Path.Combine(root, "campaigns", "qemu-bisect.toml"))
            .Replace("mode = \"sequential\"", "mode = \"binary\"", StringComparison.Ordinal)
            .Replace("\"../targets/", $"\"{root}/targets/", StringComparison.Ordinal)
            .Replace("\"../tests/", $"\"{root}/tests/", StringComparison.Ordinal));
        return ["--target=Bisect", $"--campaign={campaign}", "--lava-boards=2"];
    }, (output, _, artifacts) =>
    {
        InOrder(output,
        [
            "rounds of up to [Lava] Boards = 2 job(s)", "binary search: verify the bad end first", "round of 1: 0003 probe 1",
            "step bisect/0003/apply:", "step bisect/0003/build:", "step bisect/0003/probe-1/image:", "step bisect/0003/probe-1/lava:",
            "POST http://lava.test:8000/api/v0.2/jobs/", "step bisect/0003/probe-1/record:", "(dry run: the next round depends on this one's verdicts)",
        ]);
        Assert.That(File.Exists(Path.Combine(artifacts, "qemu-bisect", "bisect", "round.json")), Is.False, "a dry run writes no plan");
    });

    /// <summary>The build host's dry run with [Board] Kind = lava, in a temporary artifacts folder; <paramref name="check"/> gets stdout, stderr and that folder.</summary>
    private static void DryRun(Func<string, string[]> args, Action<string, string, string> check)
    {
        var artifacts = Directory.CreateTempSubdirectory("ks-lava-dry-").FullName;
        try
        {
            var (exit, output, err) = BuildCommandLineTests.Run([.. args(artifacts), .. Lava, $"--paths-artifacts={artifacts}"]);
            Assert.That(exit, Is.Zero, err);
            check(output, err, artifacts);
        }
        finally
        {
            Directory.Delete(artifacts, recursive: true);
        }
    }

    /// <summary>Each needle found after the one before it.</summary>
    internal static void InOrder(string output, IEnumerable<string> needles)
    {
        var at = 0;
        foreach (var needle in needles)
        {
            var found = output.IndexOf(needle, at, StringComparison.Ordinal);
            Assert.That(found, Is.GreaterThanOrEqualTo(0), $"'{needle}' after position {at}:\n{output}");
            at = found;
        }
    }
}
