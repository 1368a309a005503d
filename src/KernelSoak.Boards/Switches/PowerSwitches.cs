using KernelSoak.Processes;
using KernelSoak.Settings;

namespace KernelSoak.Boards.Switches;

/// <summary>The board's power switch as [Power] Switch names it.</summary>
public static class PowerSwitches
{
    /// <summary>The switch for a boot that may need a power cycle: none when [Power] Switch = none (the boot strategy then never cycles).</summary>
    public static IPowerSwitch? ForBoot(PowerSettings power, Func<IPowerSwitch> configured) => power.Switch == PowerSwitchKind.None ? null : configured();

    /// <param name="emulated">The emulated board's switch (its QEMU monitor), when the board is the emulated one.</param>
    /// <param name="confirmFile">Manual: the file a person touches once the board is power-cycled.</param>
    /// <param name="keyboard">Manual: where Enter also confirms (null when stdin is not a terminal).</param>
    public static IPowerSwitch For(PowerSettings power, IPowerSwitch? emulated, CommandRunner commands, Action<string> say, string confirmFile, TextReader? keyboard) =>
        power.Switch switch
        {
            // Qemu on a real board has no monitor to talk to: a person does it.
            PowerSwitchKind.Qemu when emulated is not null => emulated,
            PowerSwitchKind.Command => new CommandPowerSwitch(
                new PowerCommands(power.CycleCommand, power.OffCommand, power.OnCommand, TimeSpan.FromSeconds(power.OffSeconds)), commands),
            PowerSwitchKind.PduDaemon => new PduDaemonPowerSwitch(
                new PduDaemonOutlet(power.PduDaemonHost, power.PduDaemonPort, power.Pdu, power.PduOutlet, TimeSpan.FromSeconds(power.OffSeconds))),
            PowerSwitchKind.None => throw new PowerSwitchException("the board needs a power cycle and [Power] Switch = none: power-cycle it by hand, then re-run (the run resumes)"),
            _ => new ManualPowerSwitch(say, confirmFile, TimeSpan.FromMinutes(power.ConfirmMinutes), keyboard),
        };
}
