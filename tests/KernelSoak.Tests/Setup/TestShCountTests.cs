using System.Diagnostics;

namespace KernelSoak.Tests.Setup;

/// <summary>
/// test.sh's closing line (what CI reads) with dotnet replaced on PATH by a stand-in that writes each suite's
/// TRX; one suite's test host "crashes" part-way (exit 1, a TRX with only the tests run before). The real
/// test.sh runs, from a copy of the checkout's, with its set-up scripts as stand-ins.
/// </summary>
public class TestShCountTests
{
    private string dir = "";

    [SetUp]
    public void Checkout()
    {
        dir = Directory.CreateTempSubdirectory("ks-testsh-").FullName;
        File.Copy(Path.Combine(Repo.Root, "test.sh"), Path.Combine(dir, "test.sh"));
        Directory.CreateDirectory(Path.Combine(dir, "scripts"));
        Directory.CreateDirectory(Path.Combine(dir, "bin"));
        Write(Path.Combine(dir, "scripts", "setup-host.sh"), "exit 0");
        Write(Path.Combine(dir, "scripts", "test-users.sh"), "exit 0");
        // dotnet test tests/<suite> … --logger trx;LogFileName=<suite>.trx --results-directory <dir>
        Write(Path.Combine(dir, "bin", "dotnet"), """
            [ "$1" = test ] || exit 0
            suite=$(basename "$2"); while [ $# -gt 0 ]; do [ "$1" = --results-directory ] && out=$2; shift; done
            result() { echo "<UnitTestResult testName=\"$1\" outcome=\"$2\" />"; }
            { echo '<TestRun>'; result a Passed; result b Passed
              # A real suite's size after its failed test: more than a pipe holds (a check that stops reading early gets SIGPIPE).
              case "$suite" in *Reports*) echo '<UnitTestResult testName="c" outcome="Failed"><Output><ErrorInfo><Message>  Expected: &quot;clean&quot;</Message>'
                for i in $(seq 3000); do result "p$i" Passed; done ;; *Kernel.Tests) result d NotExecuted ;; esac
              # What VSTest writes for a run whose host crashed: the summary says Failed/Error about the run itself.
              case "$suite" in *Board*) echo '<ResultSummary outcome="Failed"><RunInfos><RunInfo outcome="Error" /></RunInfos></ResultSummary>' ;; esac
              echo '</TestRun>'; } > "$out/$suite.trx"
            case "$suite" in *Reports*|*Board*) exit 1 ;; esac
            """);
    }

    [TearDown]
    public void Remove() => Directory.Delete(dir, recursive: true);

    [Test]
    public void A_suite_whose_test_host_died_counts_as_a_failure_and_a_failed_test_counts_once()
    {
        var psi = new ProcessStartInfo("bash", [Path.Combine(dir, "test.sh")]) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["PATH"] = $"{Path.Combine(dir, "bin")}:/usr/bin:/bin";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.That(p.WaitForExit(30_000), Is.True, "test.sh finished");
        var lines = stdout.Result.TrimEnd().Split('\n');

        Assert.That(p.ExitCode, Is.Not.Zero, stderr.Result);
        // 6 suites x 2 passed and Reports' 3000; Reports has a failed test (counted once, not again as aborted); Board died with none failed.
        Assert.That(lines[^1], Is.EqualTo("3012 passed, 2 failed, 1 skipped"), stdout.Result);
        Assert.That(stdout.Result, Does.Contain("KernelSoak.Board.Tests did not finish").And.Not.Contain("KernelSoak.Reports.Tests did not finish"));
        // CI shows only the output's tail: the failed test is named there, after the suites' own output.
        Assert.That(lines.TakeLast(8), Does.Contain("== failed: KernelSoak.Reports.Tests: c").And.Contain("       Expected: \"clean\""), stdout.Result);
    }

    private static void Write(string path, string body)
    {
        File.WriteAllText(path, "#!/bin/bash\n" + body + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
