using System.Diagnostics;
using KernelSoak.Lava.Jobs;

namespace KernelSoak.Lava.Tests;

/// <summary>The typed stress line, run by a real POSIX shell (dash here, busybox ash on the board).</summary>
public class StressScriptTests
{
    private static string Run(string line)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var shell = Process.Start(start)!;
        shell.StandardInput.WriteLine(line);
        shell.StandardInput.Close();
        var output = shell.StandardOutput.ReadToEnd();
        Assert.That(shell.WaitForExit(30_000), "the line ended");
        return output;
    }

    [Test]
    public void Runs_every_step_at_once_each_until_its_time_is_up_printing_each_exit_then_the_marker()
    {
        var watch = Stopwatch.StartNew();
        var output = Run(StressScript.Line([
            new StressStep("flaky", "sleep 0.3; [ -e /nonexistent ]", TimeSpan.FromSeconds(3)),
            new StressStep("steady", "sleep 0.5", TimeSpan.FromSeconds(2)),
        ])).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(watch.Elapsed.TotalSeconds, Is.LessThan(4.5), "side by side, not one after the other (3 + 2 s)");
        Assert.That(output[^1], Is.EqualTo(StressScript.DoneWord));
        Assert.That(output.Count(l => l == $"{StressScript.ExitWord}0:1"), Is.InRange(5, 12), "about 3 s of 0.3 s passes, all failing");
        Assert.That(output.Count(l => l == $"{StressScript.ExitWord}1:0"), Is.InRange(3, 6), "about 2 s of 0.5 s passes");
        Assert.That(output[..^1], Is.All.Matches<string>(l => l is "ks-exit=0:1" or "ks-exit=1:0"));
    }

    [Test]
    public void The_typed_line_holds_neither_marker_so_the_consoles_echo_matches_nothing()
    {
        var line = StressScript.Line([new StressStep("x", "exit 3", TimeSpan.FromSeconds(1))]);
        Assert.That(line, Does.Not.Contain(StressScript.DoneWord).And.Not.Contain(StressScript.ExitWord));
        Assert.That(Run(line), Does.Contain($"{StressScript.ExitWord}0:3\n").And.EndWith($"{StressScript.DoneWord}\n"), "an 'exit' in the command ends its subshell, not the loop");
    }
}
