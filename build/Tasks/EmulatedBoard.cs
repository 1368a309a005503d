using KernelSoak.Boards.Qemu;
using KernelSoak.Frosting;

namespace KernelSoak.Build.Tasks;

/// <summary>The emulated board of the settings ([Board] Kind = qemu, Directory, Port), for the Board* targets.</summary>
public static class EmulatedBoard
{
    public static QemuBoard For(BuildContext context) => context.Site.Emulated ?? throw new UserErrorException(
        $"[Board] Kind is {context.Settings.Board.Kind.ToString().ToLowerInvariant()}: the Board* targets manage the emulated board only (set Kind = qemu or --board-kind=qemu)");

    /// <summary>One command to the emulator's monitor: said in a dry run (null), else done by <paramref name="act"/>.</summary>
    public static async Task<QemuBoard?> ThroughMonitorAsync(BuildContext context, string monitorCommand, Func<QemuBoard, Task> act)
    {
        var board = For(context);
        if (context.DryRun)
        {
            context.Output.Info($"    $ echo {monitorCommand} | nc -U {board.Files.MonitorSocket}");
            return null;
        }
        await act(board);
        return board;
    }
}
