using KernelSoak.Boards.Switches;
using KernelSoak.Build.Plans;
using KernelSoak.Remote;
using KernelSoak.Frosting;

namespace KernelSoak.Tests.Bisect;

/// <summary>What makes a probe infra-error (retried, never a verdict) and what stays the kernel's or the user's.</summary>
public class InfraTroubleTests
{
    private static readonly SshEndpoint Board = new("127.0.0.1", 2222, "root", "/nonexistent");

    [Test]
    public void Setup_trouble_is_infrastructure_also_when_wrapped()
    {
        Assert.Multiple(() =>
        {
            Assert.That(InfraTrouble.Is(new BoardUnreachableException(Board, "connection refused")), Is.True);
            Assert.That(InfraTrouble.Is(new BoardLinkLostException(Board, "cat > /boot/firmware/Image.ks-tmp", new InvalidOperationException("stream closed"))), Is.True);
            Assert.That(InfraTrouble.Is(new PowerSwitchException("[Power] CycleCommand failed")), Is.True);
            Assert.That(InfraTrouble.Is(new IOException("No space left on device : '/artifacts/x'")), Is.True);
            Assert.That(InfraTrouble.Is(new InvalidOperationException("step bisect/0001/harvest failed", new Renci.SshNet.Common.SshConnectionException("dropped"))), Is.True);
        });
    }

    [Test]
    public void The_kernel_and_the_user_are_not_infrastructure()
    {
        Assert.Multiple(() =>
        {
            Assert.That(InfraTrouble.Is(new NoBootException("did not come up")), Is.False, "no-boot is a verdict");
            Assert.That(InfraTrouble.Is(new KernelSoak.Kernel.KernelBuildException("the kernel build failed")), Is.False, "build-failed is a verdict");
            Assert.That(InfraTrouble.Is(new UserErrorException("bad campaign")), Is.False);
            Assert.That(InfraTrouble.Is(new IOException("Permission denied")), Is.False);
        });
    }
}
