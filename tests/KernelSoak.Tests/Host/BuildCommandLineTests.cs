using System.Diagnostics;

namespace KernelSoak.Tests.Host;

/// <summary>The task host as a user runs it: a real process, its output and exit code.</summary>
public class BuildCommandLineTests
{
    internal static (int Exit, string Out, string Err) Run(params string[] args) => Run(null, args);

    internal static (int Exit, string Out, string Err) Run((string Name, string Value)? env, params string[] args)
    {
        var host = Path.Combine(TestContext.CurrentContext.TestDirectory, "KernelSoak.Build.dll");
        var psi = new ProcessStartInfo("dotnet", [host, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repo.Root,
        };
        psi.Environment["KERNELSOAK_ROOT"] = Repo.Root;
        psi.Environment["NO_COLOR"] = "1";
        if (env is { } e) psi.Environment[e.Name] = e.Value;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.That(p.WaitForExit(60_000), Is.True, "the host finished within a minute");
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [Test]
    public void Tree_shows_the_seed_series()
    {
        var (exit, output, _) = Run("--tree", "--campaign=iter6-v3");
        Assert.That(exit, Is.Zero);
        foreach (var t in new[] { "Bisect0004", "Bisect0005", "Bisect0006", "Bisect0007-v2", "Preflight", "Harvest", "Soak" })
            Assert.That(output, Does.Contain(t));
    }

    [Test]
    public void Description_lists_tasks_with_their_descriptions()
    {
        var (exit, output, _) = Run("--description");
        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Match(@"ConfigureKernel\s+Applies the campaign's config delta"));
    }

    [Test]
    public void Dryrun_of_Bisect0004_prints_every_step_in_order_with_exact_commands_and_changes_nothing()
    {
        var artifacts = Path.Combine(Repo.Root, "artifacts", "iter6-v3-kasan");
        var existed = Directory.Exists(artifacts);
        var (exit, output, err) = Run("--target=Bisect0004", "--dryrun", "--campaign=iter6-v3");
        Assert.That(exit, Is.Zero, err);
        string[] inOrder =
        [
            "step preflight:", "scripts/config --file", "--enable KASAN_OUTLINE", "olddefconfig",
            "-s kernelrelease", "Image modules dtbs", "depmod", "/boot/firmware/Image-", "mkinitcpio -k",
            "extlinux.conf.kernelsoak-", "step baseline/boot:", "reboot", "git -C", "am --3way",
            "step bisect/0004/boot:", "mpv --hwdec=v4l2m2m", "sys/fs/pstore", "journalctl -k -b -1", "step bisect/0004/verdict",
        ];
        var at = 0;
        foreach (var needle in inOrder)
        {
            var found = output.IndexOf(needle, at, StringComparison.Ordinal);
            Assert.That(found, Is.GreaterThanOrEqualTo(0), $"'{needle}' after position {at}");
            at = found;
        }
        Assert.That(output, Does.Not.Contain("Bisect0005"), "a target runs only what it needs");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.That(output, Does.Contain($"am --3way --keep-cr '{home}/src/patches/iter6/0004"), "the series' ~/ is the user's home (was campaigns/~/src/…)");
        Assert.That(output.Contains('\u001b', StringComparison.Ordinal), Is.False, "NO_COLOR: plain lines, no escape codes");
        Assert.That(Directory.Exists(artifacts), Is.EqualTo(existed), "dry run writes nothing");
    }

    [Test]
    public void Unknown_target_is_one_clear_line_and_non_zero()
    {
        var (exit, _, err) = Run("--target=Bisect9999", "--campaign=iter6-v3");
        Assert.That(exit, Is.Not.Zero);
        Assert.That(err.Trim(), Does.StartWith("error: unknown target 'Bisect9999'"));
        Assert.That(err.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void Unknown_setting_is_one_clear_line_and_non_zero()
    {
        var (exit, _, err) = Run("--target=Preflight", "--dryrun", "--board-hots=1.2.3.4");
        Assert.That(exit, Is.Not.Zero);
        Assert.That(err.Trim(), Does.StartWith("error: argument --board-hots: unknown setting in [Board]"));
        Assert.That(err.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void Malformed_campaign_is_one_clear_line_with_file_and_line()
    {
        var file = Path.Combine(Path.GetTempPath(), $"ks-broken-{Guid.NewGuid():N}.toml");
        File.WriteAllText(file, "[campaign]\nid = \"x\"\n[kernel]\ntree = 5\n");
        try
        {
            var (exit, _, err) = Run("--target=Preflight", "--dryrun", $"--campaign={file}");
            Assert.That(exit, Is.Not.Zero);
            Assert.That(err.Trim(), Does.StartWith($"error: {Path.GetFileName(file)}:4: 'kernel.tree' must be a string"));
            // Help, the tree and the descriptions still work, with the problem as a warning.
            foreach (var help in new[] { "--help", "--tree", "--description" })
            {
                var (helpExit, helpOut, helpErr) = Run(help, $"--campaign={file}");
                Assert.That(helpExit, Is.Zero, $"{help}: {helpErr}");
                Assert.That(helpErr.Trim(), Does.StartWith($"warning: {Path.GetFileName(file)}:4: 'kernel.tree' must be a string"), help);
                Assert.That(helpOut, Does.Contain("Preflight"), help);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void Help_with_a_campaign_that_does_not_parse_exits_zero_and_prints_the_help()
    {
        var file = Path.Combine(Path.GetTempPath(), $"ks-unparsable-{Guid.NewGuid():N}.toml");
        File.WriteAllText(file, "[campaign\nid = \"x\"\n");
        try
        {
            var (exit, output, err) = Run("--help", $"--campaign={file}");
            Assert.That(exit, Is.Zero, err);
            Assert.That(output, Does.Contain("Usage: ./build.sh").And.Contain("Preflight"));
            Assert.That(err, Does.StartWith($"warning: {Path.GetFileName(file)}:1:"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void A_bad_setting_from_the_environment_leaves_help_working()
    {
        var (exit, output, err) = Run(("BOARD_PORT", "seventy"), "--help");
        Assert.That(exit, Is.Zero, err);
        Assert.That(err, Does.StartWith("warning: ").And.Contain("BOARD_PORT"));
        Assert.That(output, Does.Contain("Usage: ./build.sh"));
    }

    [Test]
    public void Version_prints_ours_and_Cake_Cores_and_runs_nothing()
    {
        var (exit, output, err) = Run("--version");
        Assert.That(exit, Is.Zero, err);
        Assert.That(output, Does.Match(@"^KernelSoak \d+\.\d+\.\d+").And.Match(@"Cake\.Core \d+\.\d+"));
        Assert.That(output, Does.Not.Contain("campaign "), "no task ran");
    }

    [Test]
    public void A_bare_unknown_flag_is_an_error_and_runs_nothing()
    {
        var (exit, output, err) = Run("--frobnicate");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(err.Trim(), Does.StartWith("error: unknown option '--frobnicate'. Options: --target NAME"));
        Assert.That(output, Is.Empty);
    }

    [Test]
    public void Kernel_tree_not_found_is_a_clear_error()
    {
        var (exit, _, err) = Run("--target=LintCampaign", "--campaign=iter6-v3");
        Assert.That(exit, Is.Not.Zero);
        Assert.That(err, Does.Contain("error: ").And.Contain("is not a kernel tree (no Makefile/Kconfig): set [kernel] tree in the campaign"));
        Assert.That(err, Does.Not.Contain("   at "), "no stack trace for a user's mistake");
    }

    /// <summary>A dry run of --target=Bisect on qemu-bisect (edited by <paramref name="edit"/>) in a scratch artifacts folder; the files it left besides the campaign.</summary>
    private static (string Output, string[] Left) DryRunBisect(Func<string, string> edit)
    {
        var artifactsRoot = Directory.CreateTempSubdirectory("ks-art-").FullName;
        try
        {
            var campaign = Path.Combine(artifactsRoot, "campaign.toml");
            File.WriteAllText(campaign, edit(File.ReadAllText(Path.Combine(Repo.Root, "campaigns", "qemu-bisect.toml"))
                .Replace("\"../tests/patches\"", $"\"{Repo.Root}/tests/patches\"", StringComparison.Ordinal)));
            var (exit, output, err) = Run("--target=Bisect", "--dryrun", "--exclusive", $"--paths-artifacts={artifactsRoot}", $"--campaign={campaign}");
            Assert.That(exit, Is.Zero, err);
            return (output, Directory.GetFiles(artifactsRoot, "*", SearchOption.AllDirectories).Where(f => f != campaign).ToArray());
        }
        finally
        {
            Directory.Delete(artifactsRoot, true);
        }
    }

    [Test]
    public void Sequential_dry_run_of_the_whole_series_writes_no_results()
    {
        var (output, left) = DryRunBisect(text => text);
        Assert.That(output, Does.Contain("summary.md, results.json, junit.xml: the series answer"));
        Assert.That(left, Is.Empty, "a dry run writes nothing");
    }

    [Test]
    public void Binary_mode_dry_run_starts_at_the_bad_end_and_changes_nothing()
    {
        var (output, left) = DryRunBisect(text => text.Replace("mode = \"sequential\"", "mode = \"binary\"", StringComparison.Ordinal));
        Assert.That(output, Does.Contain("binary search: verify the bad end first: the whole series (0003) for 12 s"));
        Assert.That(output, Does.Contain("step bisect/0003/apply").And.Contain("step bisect/0003/probe-1/stress").And.Contain("step bisect/0003/probe-1/record"));
        Assert.That(output, Does.Contain("lkdtm-warning-message 12 s (sized by the series search; ends at the first hunted report)"));
        Assert.That(left, Is.Empty, "a dry run writes nothing (no journal)");
    }
}
