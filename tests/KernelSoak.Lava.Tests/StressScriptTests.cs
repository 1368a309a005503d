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
    public void Repeats_the_command_until_its_time_is_up_printing_each_exit_then_the_marker()
    {
        var output = Run(StressScript.Line(new StressStep("flaky", "sleep 0.3; [ -e /nonexistent ]", TimeSpan.FromSeconds(2)))).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(output[^1], Is.EqualTo(StressScript.DoneWord));
        var exits = output[..^1];
        Assert.That(exits, Has.Length.InRange(3, 8), "about 2 s of 0.3 s passes");
        Assert.That(exits, Is.All.EqualTo($"{StressScript.ExitWord}1"));
    }

    [Test]
    public void The_typed_line_holds_neither_marker_so_the_consoles_echo_matches_nothing()
    {
        var line = StressScript.Line(new StressStep("x", "exit 3", TimeSpan.FromSeconds(1)));
        Assert.That(line, Does.Not.Contain(StressScript.DoneWord).And.Not.Contain(StressScript.ExitWord));
        Assert.That(Run(line), Does.Contain($"{StressScript.ExitWord}3\n").And.EndWith($"{StressScript.DoneWord}\n"), "an 'exit' in the command ends its subshell, not the loop");
    }
}
