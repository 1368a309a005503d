using System.Diagnostics;
using System.Text.Json;

namespace KernelSoak.Tests.Host;

/// <summary>
/// Classify as a user runs it on a saved log, through both entries build.sh may take: the task host's
/// direct path and the native kernelsoak-classify (published here with the real AOT toolchain).
/// Same command lines, same output.
/// </summary>
[TestFixture("host")]
[TestFixture("native")]
public class ClassifyCommandTests(string entry)
{
    private string? _native;

    [OneTimeSetUp]
    public void PublishTheNativeClassifier()
    {
        if (entry != "native") return;
        var dir = Path.Combine(Path.GetTempPath(), $"ks-classify-native-{Guid.NewGuid():N}");
        var (exit, output) = Tool("dotnet", Repo.Root, "publish", Path.Combine(Repo.Root, "src", "KernelSoak.Classify"), "-c", "Release", "-o", dir, "-nologo", "-v", "quiet");
        Assert.That(exit, Is.Zero, output);
        _native = Path.Combine(dir, "kernelsoak-classify");
    }

    [OneTimeTearDown]
    public void RemoveIt()
    {
        if (_native is not null) Directory.Delete(Path.GetDirectoryName(_native)!, recursive: true);
    }

    private (int Exit, string Out, string Err) Run(params string[] args)
    {
        if (_native is null) return BuildCommandLineTests.Run(args);
        var psi = new ProcessStartInfo(_native, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repo.Root };
        psi.Environment["KERNELSOAK_ROOT"] = Repo.Root;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.That(p.WaitForExit(60_000), Is.True, "classified within a minute");
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private static (int Exit, string Output) Tool(string file, string cwd, params string[] args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = cwd };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.That(p.WaitForExit(600_000), Is.True, $"{file} finished");
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    private static string Capture(string name) => Path.Combine(Repo.Root, "tests", "KernelSoak.Reports.Tests", "testdata", "corpus", "arm64-6.1", name, "dmesg.txt");

    [Test]
    public void Text_names_each_report_with_its_line()
    {
        var (exit, output, err) = Run("--target=Classify", $"--log={Capture("01-corpus_lockdep_abba")}");
        Assert.That(exit, Is.Zero, err);
        Assert.That(output, Does.Contain("report(s)").And.Contain("LOCKDEP").And.Contain("possible deadlock in corpus_lock_b_then_a   (line "));
    }

    [Test]
    public void Json_is_machine_output_only_at_quiet()
    {
        var (exit, output, err) = Run("--target=Classify", $"--log={Capture("01-corpus_lockdep_abba")}", "--format=json", "-v", "quiet");
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
            var (exit, output, err) = Run("--target=Classify", $"--log={Capture("20-lkdtm_WARNING_MESSAGE")}", $"--campaign={campaign}");
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
        var (exit, _, err) = Run("--target=Classify", "--log=/nonexistent/dmesg.txt");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(err.Trim(), Is.EqualTo("error: --log=/nonexistent/dmesg.txt: no such file"));
    }

    [Test]
    public void A_directory_as_log_says_so()
    {
        var (exit, _, err) = Run("--target=Classify", $"--log={Path.GetTempPath()}");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(err.Trim(), Does.StartWith($"error: --log={Path.GetTempPath()} is a directory: give one log file"));
    }

    [Test]
    public void A_command_line_it_does_not_read_is_left_to_the_host()
    {
        if (_native is null) Assert.Ignore("the native entry's hand-over; the host reads every command line");
        Assert.That(Run("--target=Classify", "--help").Exit, Is.EqualTo(100));
        Assert.That(Run("--target=Soak", "--log=x").Exit, Is.EqualTo(100));
    }
}
