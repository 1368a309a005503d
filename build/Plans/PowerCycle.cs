using KernelSoak.Boards;
using KernelSoak.Boards.Switches;
using KernelSoak.Settings;

namespace KernelSoak.Build.Plans;

/// <summary>The board's power switch as [Power] Switch names it, and one way to power-cycle with it (a wedge, a dead board at harvest).</summary>
public static class PowerCycle
{
    public static async Task RunAsync(BuildContext c, string why, CancellationToken ct)
    {
        c.DropBoardSession();
        c.Output.Info($"{why}: power-cycling the board ([Power] Switch = {c.Settings.Power.Switch.ToString().ToLowerInvariant()})");
        await Switch(c).ResetAsync(ct);
    }

    /// <summary>The switch for a boot that may need a power cycle: none when [Power] Switch = none (the strategy then never cycles).</summary>
    public static IPowerSwitch? ForBoot(BuildContext c) => c.Settings.Power.Switch == PowerSwitchKind.None ? null : Switch(c);

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
