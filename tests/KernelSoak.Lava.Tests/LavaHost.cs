using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace KernelSoak.Lava.Tests;

/// <summary>The build host as a user runs it with [Board] Kind = lava against the local LAVA (scripts/lava-local.sh).</summary>
public static partial class LavaHost
{
    [GeneratedRegex(@"LAVA job (\d+) submitted")]
    public static partial Regex SubmittedLine();

    public static string Tail(string output) => output.Length <= 6000 ? output : output[^6000..];

    /// <summary>dotnet KernelSoak.Build.dll --target=… --board-kind=lava …, SIGKILLed as soon as it says it submitted a job when asked.</summary>
    public static (int Exit, string Output) Run(LocalLava lava, string campaign, string artifacts, string target, bool killWhenSubmitted, params string[] more)
    {
        var root = LocalLava.RepoRoot();
        var psi = new ProcessStartInfo("dotnet",
        [
            Path.Combine(TestContext.CurrentContext.TestDirectory, "KernelSoak.Build.dll"), $"--target={target}", $"--campaign={campaign}",
            "--board-kind=lava", $"--lava-server={File.ReadAllText(Path.Combine(LocalLava.Dir, "url")).Trim()}",
            $"--lava-token-file={Path.Combine(LocalLava.Dir, "token")}", $"--lava-device-type={LocalLava.Device}",
            $"--lava-root-disk={lava.RootDisk}", "--lava-poll-seconds=2", $"--paths-artifacts={artifacts}", .. more,
        ])
        { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        psi.Environment["KERNELSOAK_ROOT"] = root;
        psi.Environment["NO_COLOR"] = "1";
        using var host = new Process { StartInfo = psi };
        var output = new StringBuilder();
        void Line(string? line)
        {
            if (line is null) return;
            lock (output) output.AppendLine(line);
            TestContext.Progress.WriteLine(line);
            if (killWhenSubmitted && SubmittedLine().IsMatch(line))
            {
                TestContext.Progress.WriteLine("== SIGKILL: the host dies with its job submitted");
                try { host.Kill(); } catch (InvalidOperationException) { }
            }
        }
        host.OutputDataReceived += (_, e) => Line(e.Data);
        host.ErrorDataReceived += (_, e) => Line(e.Data);
        host.Start();
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        Assert.That(host.WaitForExit(TimeSpan.FromMinutes(60)), Is.True, "the build host finished");
        host.WaitForExit();
        lock (output) return (host.ExitCode, output.ToString());
    }
}
