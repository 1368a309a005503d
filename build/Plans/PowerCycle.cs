using KernelSoak.Processes;
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
        }
        else if (power.Switch == PowerSwitchKind.Command && power.CycleCommand.Length > 0)
        {
            var result = await c.Commands.RunAsync(CommandLine.Of("sh", "-c", power.CycleCommand), cancellation: ct);
            if (!result.Succeeded)
                throw new InvalidOperationException($"[Power] CycleCommand failed (exit {result.ExitCode}): {string.Join(" | ", result.Output.TakeLast(3))}");
        }
        else c.Output.Warn($"{why}: power-cycle the board now (it boots its known-good default); waiting for SSH");
    }
}
