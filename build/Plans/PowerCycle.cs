using KernelSoak.Boards;
using KernelSoak.Boards.Switches;
using KernelSoak.Settings;

namespace KernelSoak.Build.Plans;

/// <summary>One way to power-cycle the board, whatever needs it (a boot that timed out, a wedge): the [Power] Switch decides.</summary>
public static class PowerCycle
{
    public static async Task RunAsync(BuildContext c, string why, CancellationToken ct)
    {
        c.DropBoardSession();
        var power = c.Settings.Power;
        c.Output.Info($"{why}: power-cycling the board ([Power] Switch = {power.Switch.ToString().ToLowerInvariant()})");
        if (power.Switch == PowerSwitchKind.Qemu && c.Settings.Board.Kind == BoardKind.Qemu)
        {
            var qemu = Tasks.EmulatedBoard.For(c).Power;
            // A frozen (wedged) board only takes the reset once it runs again; on a running board 'cont' does nothing.
            await qemu.ThawAsync(ct).ContinueWith(_ => { }, ct);
            await qemu.ResetAsync(ct);
            return;
        }
        await Switch(c).ResetAsync(ct);
    }

    /// <summary>The configured switch for a real board (or an emulated one driven like a real one).</summary>
    public static IPowerSwitch Switch(BuildContext c)
    {
        var power = c.Settings.Power;
        return power.Switch switch
        {
            PowerSwitchKind.Qemu when c.Settings.Board.Kind == BoardKind.Qemu => Tasks.EmulatedBoard.For(c).Power,
            PowerSwitchKind.Command => new CommandPowerSwitch(
                new PowerCommands(power.CycleCommand, power.OffCommand, power.OnCommand, TimeSpan.FromSeconds(power.OffSeconds)), c.Commands),
            PowerSwitchKind.PduDaemon => new PduDaemonPowerSwitch(
                new PduDaemonOutlet(power.PduDaemonHost, power.PduDaemonPort, power.Pdu, power.PduOutlet, TimeSpan.FromSeconds(power.OffSeconds))),
            PowerSwitchKind.None => throw new PowerSwitchException("the board needs a power cycle and [Power] Switch = none: power-cycle it by hand, then re-run (the run resumes)"),
            _ => new ManualPowerSwitch(c.Output.Warn, Path.Combine(c.ArtifactsDir, "confirm", "power"), TimeSpan.FromMinutes(power.ConfirmMinutes),
                Console.IsInputRedirected ? null : Console.In),
        };
    }
}
