namespace KernelSoak.Tests.Host;

/// <summary>series.pipeline as the dry run shows it: after each install a step starts the next kernel(s) building in the background.</summary>
public class PipelineDryRunTests
{
    private static string On(string text) => text.Replace("baseline = true", "baseline = true\npipeline = true", StringComparison.Ordinal);

    [Test]
    public void A_walk_builds_each_next_patch_during_the_probe_before_it_and_nothing_past_its_target()
    {
        var output = DryRun(On, "--target=Bisect0002");
        InOrder(output,
        [
            "step baseline/prebuild: build 0001 ahead in ", "pipe.prebuild while this probe runs",
            "worktree add -f -B kernelsoak/pipe-prebuild ", "nice -n 19 make -C ", ".prebuild O=", ".prebuild/.kernelsoak-build-pipe ", "/log/prebuild-0001.log",
            "step baseline/boot:", "step bisect/0001/apply:", "step bisect/0001/build:", "step bisect/0001/install/confirm:",
            "step bisect/0001/prebuild: build 0002 ahead", "step bisect/0001/boot:", "step bisect/0001/verdict:",
            "step bisect/0002/install/confirm:", "step bisect/0002/boot:",
        ]);
        Assert.That(output, Does.Not.Contain("build 0003 ahead"), "the run ends at 0002");
        Assert.That(output, Does.Not.Contain("step bisect/0002/prebuild"));
    }

    [Test]
    public void Off_by_default_no_step_builds_ahead()
    {
        var output = DryRun(text => text, "--target=Bisect");
        Assert.That(output, Does.Contain("step bisect/0003/install/confirm:"));
        Assert.That(output, Does.Not.Contain("prebuild"));
    }

    [Test]
    public void A_search_builds_its_bad_end_during_the_baseline_and_the_midpoint_a_report_there_leads_to()
    {
        var output = DryRun(text => On(text).Replace("mode = \"sequential\"", "mode = \"binary\"", StringComparison.Ordinal), "--target=Bisect");
        InOrder(output,
        [
            "step baseline/prebuild: build 0003 ahead", "step baseline/boot:", "step bisect/0003/apply:",
            // Clean at the bad end, the search answers "no bad patch": only a report leads to another kernel.
            "step bisect/0003/prebuild: build 0001 ahead", "step bisect/0003/probe-1/boot:", "step bisect/0003/probe-1/record:",
        ]);
    }

    /// <summary>The dry run of qemu-bisect, edited, as campaign id "pipe" in a scratch artifacts folder.</summary>
    private static string DryRun(Func<string, string> edit, string target)
    {
        var artifacts = Directory.CreateTempSubdirectory("ks-pipe-dry-").FullName;
        try
        {
            var campaign = Path.Combine(artifacts, "pipe.toml");
            File.WriteAllText(campaign, edit(File.ReadAllText(Path.Combine(Repo.Root, "campaigns", "qemu-bisect.toml")))
                .Replace("id = \"qemu-bisect\"", "id = \"pipe\"", StringComparison.Ordinal)
                .Replace("\"../targets/", $"\"{Repo.Root}/targets/", StringComparison.Ordinal)
                .Replace("\"../tests/", $"\"{Repo.Root}/tests/", StringComparison.Ordinal));
            var (exit, output, err) = BuildCommandLineTests.Run(target, "--dryrun", $"--paths-artifacts={artifacts}", $"--campaign={campaign}");
            Assert.That(exit, Is.Zero, err);
            return output;
        }
        finally
        {
            Directory.Delete(artifacts, recursive: true);
        }
    }

    private static void InOrder(string output, IEnumerable<string> needles) => LavaDryRunTests.InOrder(output, needles);
}
