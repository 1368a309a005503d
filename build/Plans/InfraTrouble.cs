using KernelSoak.Boards.Switches;
using KernelSoak.Remote;

namespace KernelSoak.Build.Plans;

/// <summary>
/// Trouble of the test setup, not of the kernel under test: the board's SSH lost outside a stress window
/// (inside one, silence is a wedge verdict), a power switch that failed, a full disk on the host. Such a
/// probe is retried and never becomes a patch's verdict.
/// </summary>
public static class InfraTrouble
{
    public static bool Is(Exception e) => e switch
    {
        BoardUnreachableException or BoardLinkLostException or PeerFrozenException or PowerSwitchException => true,
        Lava.Farm.LavaInfraException => true,
        Renci.SshNet.Common.SshConnectionException or System.Net.Sockets.SocketException => true,
        IOException io when io.Message.Contains("No space left on device", StringComparison.Ordinal) => true,
        AggregateException all => all.InnerExceptions.Any(Is),
        _ => e.InnerException is { } inner && Is(inner),
    };
}
