using Cake.Frosting;

namespace KernelSoak.Build.Tasks;

[TaskName("BoardReset")]
[TaskDescription("Hard-resets the emulated board through its power switch (RAM kept: pstore survives) and waits for SSH")]
public sealed class BoardResetTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        if (await EmulatedBoard.ThroughMonitorAsync(context, "system_reset", board => board.Power.ResetAsync()) is not { } board) return;
        using var ssh = await Remote.SshWait.UntilUpAsync(board.Endpoint, TimeSpan.FromSeconds(context.Campaign.Boot.TimeoutS));
        context.Output.Info($"board back: {(await ssh.CheckAsync("uname -r")).Trim()}");
    }
}
