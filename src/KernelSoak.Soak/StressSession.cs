using KernelSoak.Remote;
using KernelSoak.Processes;

namespace KernelSoak.Soak;

public sealed record StressCommand(string Profile, string Command, TimeSpan Duration);

public sealed record StressOutcome(string Profile, string Command, int Iterations, int NonZeroExits);

/// <summary>
/// Runs workloads concurrently on the board, each restarted when it exits before the window ends
/// (counted), stopped at the end of the window; cancelling kills the remote process group.
/// </summary>
public static class StressSession
{
    public static async Task<IReadOnlyList<StressOutcome>> RunAsync(SshEndpoint endpoint, IReadOnlyList<StressCommand> commands, string logDir, CancellationToken cancellation)
    {
        Directory.CreateDirectory(logDir);
        var tasks = commands.Select(async (c, n) =>
        {
            using var ssh = await SshTarget.ConnectAsync(endpoint, cancellation);
            var seconds = Seconds(c);
            var loop = Loop(c);
            var iterations = 0;
            var bad = 0;
            await using var log = new FileStream(Path.Combine(logDir, $"stress-{c.Profile}-{n + 1}.log"), FileMode.Create, FileAccess.Write, FileShare.Read);
            await log.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"$ {c.Command}   (for {seconds} s, restarted on exit)\n"), cancellation);
            // The program's output as printed (a line of any length kept whole here); lines are only read for the loop's markers.
            await ssh.StreamAsync(loop, bytes => log.Write(bytes.Span), line =>
            {
                var parts = line.Split(' ');
                if (line.StartsWith("ks-stress done ", StringComparison.Ordinal) && parts.Length >= 4)
                {
                    iterations = int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
                    bad = int.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("ks-stress iteration ", StringComparison.Ordinal)) iterations++;
            }, cancellation);
            return new StressOutcome(c.Profile, c.Command, iterations, bad);
        });
        return await Task.WhenAll(tasks);
    }

    private static int Seconds(StressCommand c) => (int)Math.Ceiling(c.Duration.TotalSeconds);

    /// <summary>
    /// The board-side loop that runs <paramref name="c"/> for its window (what runs and what --dryrun prints).
    /// It lives on the board: a restart costs no round trip, and 'timeout' ends a long iteration.
    /// </summary>
    public static string Loop(StressCommand c) => Loop(c, Seconds(c).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <param name="seconds">the window's length, or a dry run's placeholder for one a search sizes at run time</param>
    public static string Loop(StressCommand c, string seconds) =>
        $"end=$(( $(date +%s) + {seconds} )); n=0; bad=0; " +
        $"while [ $(date +%s) -lt $end ]; do left=$(( end - $(date +%s) )); timeout $left sh -c {CommandLine.Quote(c.Command)}; rc=$?; " +
        "n=$((n+1)); [ $rc = 0 ] || [ $rc = 124 ] || bad=$((bad+1)); echo \"ks-stress iteration $n exit $rc\"; done; echo \"ks-stress done $n $bad\"";
}
