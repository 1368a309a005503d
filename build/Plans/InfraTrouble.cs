using KernelSoak.Boards.Switches;
using KernelSoak.Remote;
using KernelSoak.Steps;

namespace KernelSoak.Build.Plans;

/// <summary>
/// This tool's setup failures for <see cref="InfraTroubleRule"/>: the board's SSH lost outside a stress window
/// (inside one, silence is a wedge verdict), a power switch that failed, a LAVA lab's own trouble.
/// </summary>
public static class InfraTrouble
{
    private static readonly InfraTroubleRule Rule = new(
    [
        typeof(BoardUnreachableException), typeof(BoardLinkLostException), typeof(PeerFrozenException), typeof(PowerSwitchException),
        typeof(Lava.Farm.LavaInfraException), typeof(Renci.SshNet.Common.SshConnectionException), typeof(System.Net.Sockets.SocketException),
    ]);

    public static bool Is(Exception e) => Rule.Is(e);
}
