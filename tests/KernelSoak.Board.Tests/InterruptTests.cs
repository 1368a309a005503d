using System.Diagnostics;

namespace KernelSoak.Board.Tests;

/// <summary>
/// Ctrl+C on a real run: SIGINT to the build host during a probe's stress window. The first stops the
/// step (its commands on the board killed, the journal says cancelled, no verdict from a shortened
/// window); the next run resumes there, and a second SIGINT ends the process at once.
/// </summary>
[TestFixture, NonParallelizable, Order(13)]
public class InterruptTests
{
    private const string Stress = "step bisect/0001/stress";

    private static void Interrupt(Process host) => Process.Start("kill", ["-INT", host.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    [Test]
    public async Task Ctrl_C_stops_the_stress_window_cleanly_and_a_second_one_exits_at_once()
    {
        using var campaign = new E2eCampaign("e2e", E2eCampaign.BinaryOverTwoPatches);
        Process? host = null;
        var (exit, output) = campaign.BuildWhen(Stress, () => Task.Delay(TimeSpan.FromSeconds(4)).ContinueWith(_ => Interrupt(host!), TaskScheduler.Default),
            ["--target=Bisect0001"], started: p => host = p);
        Assert.That(exit, Is.EqualTo(130), "stopped by the user, told apart from a failure: " + output);
        Assert.That(output, Does.Contain("SIGINT: stopping the running step"));
        Assert.That(output, Does.Contain("interrupted in bisect/0001/stress"));
        Assert.That(output, Does.Not.Contain("verdict 0001:"), "a shortened window is no verdict");
        var ends = File.ReadLines(Path.Combine(campaign.Dir, "journal")).Where(l => l.Contains("\"step\":\"bisect/0001/stress\"", StringComparison.Ordinal)).ToList();
        Assert.That(ends.Last(), Does.Contain("\"outcome\":\"cancelled\""));
        using (var ssh = await Remote.SshTarget.ConnectAsync(BoardFixture.Board.Endpoint))
        {
            var left = "";
            for (var i = 0; i < 10; i++)
            {
                left = string.Join("\n", (await ssh.CheckAsync("ps -o pid,args")).Split('\n').Where(l => l.Contains("WARNING_MESSAGE", StringComparison.Ordinal)));
                if (left.Length == 0) break;
                await Task.Delay(500);
            }
            Assert.That(left, Is.Empty, "the stress loop's process group was killed on the board");
        }

        // The next run resumes in the stress step; two SIGINTs end it at once.
        var second = new Stopwatch();
        var (again, output2) = campaign.BuildWhen("resuming bisect/0001/stress", () => Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            Interrupt(host!);
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            second.Start();
            Interrupt(host!);
        }), ["--target=Bisect0001"], started: p => host = p);
        second.Stop();
        Assert.That(output2, Does.Contain("skip bisect/0001/boot"), "the boot before the interrupt stands");
        // Its own "SIGINT again" line may not reach the pipe before the signal ends the process: the exit code and the time say it.
        Assert.That(again, Is.EqualTo(130), output2);
        Assert.That(second.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)), "the second Ctrl+C does not wait for anything");
    }
}
