using Cake.Frosting;

namespace KernelSoak.Build.Tasks;

[TaskName("BoardDown")]
[TaskDescription("Powers the emulated board off (QEMU monitor quit)")]
public sealed class BoardDownTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        if (await EmulatedBoard.ThroughMonitorAsync(context, "quit", board => board.Power.OffAsync()) is not null)
            context.Output.Info("board is off");
    }
}
