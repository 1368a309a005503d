using Cake.Frosting;
using KernelSoak.Build.Plans;

namespace KernelSoak.Build.Tasks;

[TaskName("BoardUp")]
[TaskDescription("Builds the emulated arm64 board if needed (kernel cached by config+source hash), powers it on and waits for SSH")]
public sealed class BoardUpTask : AsyncFrostingTask<BuildContext>
{
    // Every run on the emulated board brings it up first; a real board is the user's to power.
    public override bool ShouldRun(BuildContext context) => context.Site.Emulated is not null;

    public override async Task RunAsync(BuildContext context)
    {
        var board = EmulatedBoard.For(context);
        if (context.DryRun)
        {
            context.Output.Info($"    $ {Path.Combine(context.Root, "targets/qemu-arm64/build-kernel.sh")}");
            context.Output.Info($"    $ {Path.Combine(context.Root, "targets/qemu-arm64/make-board.sh")} {board.Files.Directory} <kernel cache dir>");
            context.Output.Info($"    $ setsid -f {board.Files.Launcher}");
            context.Output.Info($"    $ {context.Board.Ssh("uname -r")}");
            return;
        }
        var env = new Dictionary<string, string?> { ["KERNELSOAK_CACHE"] = context.CacheDir };
        await board.BuildAsync(context.Commands, env, line => context.Output.Detail(line));
        var wasOn = board.Power.IsOn;
        var started = System.Diagnostics.Stopwatch.StartNew();
        var ssh = await board.UpAsync(TimeSpan.FromSeconds(context.Campaign.Boot.TimeoutS), say: context.Output.Warn,
            afterReset: offset => BootPlan.PickPreviousDefaultAsync(context, offset));
        string release;
        try
        {
            release = (await ssh.ReadAsync("uname -r", TimeSpan.FromSeconds(30))).Trim();
        }
        catch (Exception e) when (e is Renci.SshNet.Common.SshException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            // Reached just as it went down (a reboot a previous run issued): wait for it to come back.
            ssh.Dispose();
            context.Output.Warn($"the board dropped the connection ({e.Message}): it is rebooting; waiting for it");
            ssh = await Remote.SshWait.UntilUpAsync(board.Endpoint, TimeSpan.FromSeconds(context.Campaign.Boot.TimeoutS));
            release = (await ssh.ReadAsync("uname -r", TimeSpan.FromSeconds(30))).Trim();
        }
        context.Output.Info($"board {(wasOn ? "was already up" : $"up in {started.Elapsed.TotalSeconds:0.0} s")}: {release} at {board.Endpoint}, host key {ssh.HostKeyFingerprint}");
        // The steps after this one use the same connection (one handshake less, ~1 s under TCG).
        if (context.CanShareBoardSession) context.AdoptBoardSession(ssh);
        else ssh.Dispose();
        context.Output.Info($"connect: ssh -F {Path.Combine(board.Files.Directory, "ssh_config")} board");
        context.Output.Info($"serial:  {board.Files.ConsoleLog} (log), {board.Files.SerialSocket} (nc -U)");
    }
}
