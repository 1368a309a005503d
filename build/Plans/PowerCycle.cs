using KernelSoak.Boards;
using KernelSoak.Boards.Switches;

namespace KernelSoak.Build.Plans;

/// <summary>The board's power switch as [Power] Switch names it (<see cref="PowerSwitches"/>), and one way to power-cycle with it (a wedge, a dead board at harvest).</summary>
public static class PowerCycle
{
    public static async Task RunAsync(BuildContext c, string why, CancellationToken ct)
    {
        c.DropBoardSession();
        c.Output.Info($"{why}: power-cycling the board ([Power] Switch = {c.Settings.Power.Switch.ToString().ToLowerInvariant()})");
        await Switch(c).ResetAsync(ct);
    }

    /// <summary>The switch for a boot that may need a power cycle: none when [Power] Switch = none (the strategy then never cycles).</summary>
    public static IPowerSwitch? ForBoot(BuildContext c) => PowerSwitches.ForBoot(c.Settings.Power, () => Switch(c));

    /// <summary>The configured switch for a real board (or an emulated one driven like a real one).</summary>
    public static IPowerSwitch Switch(BuildContext c) => PowerSwitches.For(c.Settings.Power, c.Site.Emulated?.Power, c.Commands, c.Output.Warn,
        Path.Combine(c.ArtifactsDir, "confirm", "power"), Console.IsInputRedirected ? null : Console.In);
}
