using System.Diagnostics;
using KernelSoak.Boot;

namespace KernelSoak.Tests.Boot;

/// <summary>The boot's verification in one round trip, run by a real POSIX shell as the board's would.</summary>
public class BootCheckTests
{
    private static string Sh(string command)
    {
        using var p = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", command]) { RedirectStandardOutput = true })!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output;
    }

    [Test]
    public void Each_smoke_test_gets_its_own_exit_code_and_output_after_the_config()
    {
        string[] smoke = ["echo hello", "echo broken >&2; exit 3", "uname -s || true  # a comment ends no more than the test", "false"];
        var command = BootCheck.Command(smoke).Replace("zcat /proc/config.gz 2>/dev/null || cat /boot/config-$(uname -r) 2>/dev/null",
            "printf 'CONFIG_KASAN=y\\n# CONFIG_KCSAN is not set\\n'", StringComparison.Ordinal); // this host's config is not the board's
        var (config, results) = BootCheck.Parse(Sh(command), smoke);
        Assert.That(config.TrimEnd(), Is.EqualTo("CONFIG_KASAN=y\n# CONFIG_KCSAN is not set"));
        Assert.That(results.Select(r => r.ExitCode), Is.EqualTo(new[] { 0, 3, 0, 1 }));
        Assert.That(results[0].Output, Is.EqualTo("hello"));
        Assert.That(results[1].Output, Is.EqualTo("broken"), "stderr too: the failure's own words");
        Assert.That(results[2].Output, Is.EqualTo("Linux"));
    }

    [Test]
    public void A_check_cut_short_leaves_the_unfinished_tests_failed()
    {
        string[] smoke = ["echo a", "sleep 100"];
        var cut = "CONFIG_X=y\n\n@@kernelsoak-smoke:0\na\n@@kernelsoak-smoke:rc=0\n\n@@kernelsoak-smoke:1\n";
        var (config, results) = BootCheck.Parse(cut, smoke);
        Assert.That(config, Is.EqualTo("CONFIG_X=y\n"));
        Assert.That(results.Select(r => (r.ExitCode, r.Passed)), Is.EqualTo(new[] { (0, true), (-1, false) }));
    }

    [Test]
    public void Without_smoke_tests_the_whole_output_is_the_config() =>
        Assert.That(BootCheck.Parse("CONFIG_A=y\n", []).Config, Is.EqualTo("CONFIG_A=y\n"));
}
