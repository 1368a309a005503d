namespace KernelSoak.Board.Tests;

/// <summary>
/// Fault injection: the build host SIGKILLed at six named points of one probe (during make, during the
/// module sync, right after issuing the reboot, while waiting for SSH, mid-stress, mid-harvest); each
/// re-run says what it resumes, redoes nothing finished, and the last one reaches the same verdict.
/// Binary mode, so Bisect0002 probes base + 0001 + 0002 without probing 0001 first.
/// </summary>
[TestFixture, NonParallelizable, Order(6)]
public class HostKilledTests
{
    private E2eCampaign _campaign = null!;

    [OneTimeSetUp]
    public void WriteCampaign() => _campaign = new E2eCampaign("e2e", E2eCampaign.BinaryOverTwoPatches);

    [OneTimeTearDown]
    public void Remove() => _campaign.Dispose();

    private string Killed(string at, double afterSeconds)
    {
        var (exit, output) = _campaign.BuildUntil(at, TimeSpan.FromSeconds(afterSeconds), "--target=Bisect0002");
        Assert.That(exit, Is.Not.Zero, $"killed after '{at}'");
        Assert.That(output, Does.Contain(at));
        return output;
    }

    [Test]
    public void Killed_at_six_points_then_re_run_gives_the_same_verdict_and_redoes_nothing_finished()
    {
        Killed("step bisect/0002/build", 3);                                   // 1. during make

        // The sync is one SSH conversation of ≥ 0.5 s, and took < 1 s on a quiet machine: 1 s after its line was past it.
        var second = Killed("step bisect/0002/install/modules", 0.3);         // 2. during the module sync
        Assert.That(second, Does.Contain("resuming bisect/0002/build"));

        var third = Killed("reboot issued", 0);                                // 3. right after the reboot was issued
        Assert.That(third, Does.Contain("resuming bisect/0002/install/modules"));
        Assert.That(third, Does.Contain("skip bisect/0002/build"), "the build is not redone");

        var fourth = Killed("U-Boot menu: chose", 0);                          // 4. while waiting for SSH
        Assert.That(fourth, Does.Contain("resuming bisect/0002/boot"));
        Assert.That(fourth, Does.Contain("skip bisect/0002/install/image"), "nothing re-deployed");

        var fifth = Killed("step bisect/0002/stress", 5);                      // 5. mid-stress
        Assert.That(fifth, Does.Contain("resuming bisect/0002/boot"));
        Assert.That(fifth, Does.Contain("no second reboot"), "the board already runs the build: no reboot");

        var sixth = Killed("step bisect/0002/harvest", 1);                     // 6. mid-harvest
        Assert.That(sixth, Does.Contain("resuming bisect/0002/stress"));

        var (exit, last) = _campaign.Build("--target=Bisect0002");
        Assert.That(exit, Is.Zero, "the probe completes");
        Assert.That(last, Does.Contain("resuming bisect/0002/harvest"));
        Assert.That(last, Does.Not.Contain("reboot issued").And.Not.Contain("building "), "no reboot, no build");
        Assert.That(_campaign.Verdict("0002"), Is.EqualTo("report"), "the same verdict as an uninterrupted probe");
        Assert.That(last, Does.Contain("use-after-free"));
    }
}
