using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace KernelSoak.Remote;

/// <summary>Waits for a remote command's output up to a marker line; null when the command ended first.</summary>
public delegate Task<string?> UntilLine(string marker);

public sealed partial class SshTarget
{
    /// <summary>
    /// Runs a command that asks before it takes its input: <paramref name="converse"/> writes to its stdin
    /// and, through the <see cref="UntilLine"/> it is given, reads what the command printed up to a marker
    /// — one channel where a probe and a copy would take two (each costs a process and a round trip, half
    /// a second on an emulated board). The result's output is everything the command printed, as printed.
    /// </summary>
    public async Task<RemoteResult> ConverseAsync(string command, Func<Stream, UntilLine, Task> converse, TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        Announce(command);
        var watch = Stopwatch.StartNew();
        using var cmd = _client.CreateCommand(AsRoot(command));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        if (timeout is { } t) limit.CancelAfter(t);
        var running = cmd.ExecuteAsync(limit.Token);
        var lines = Channel.CreateUnbounded<string>();
        var printed = new StringBuilder();
        // SSH.NET's output stream blocks in Read whatever a token says: the reading runs apart and ends with
        // the channel. The output is kept as printed; whole lines go to Until as they arrive.
        var reading = Task.Run(async () =>
        {
            try
            {
                using var reader = new StreamReader(cmd.OutputStream);
                var block = new char[16 * 1024];
                var line = new StringBuilder();
                int read;
                while ((read = await reader.ReadAsync(block, CancellationToken.None)) > 0)
                {
                    lock (printed) printed.Append(block, 0, read);
                    for (var i = 0; i < read; i++)
                    {
                        if (block[i] != '\n') { line.Append(block[i]); continue; }
                        lines.Writer.TryWrite(line.ToString());
                        line.Clear();
                    }
                }
                if (line.Length > 0) lines.Writer.TryWrite(line.ToString());
            }
            finally
            {
                lines.Writer.TryComplete();
            }
        }, CancellationToken.None);

        async Task<string?> Until(string marker)
        {
            var before = new StringBuilder();
            await foreach (var line in lines.Reader.ReadAllAsync(limit.Token))
            {
                if (line == marker) return before.ToString();
                before.Append(line).Append('\n');
            }
            return null;
        }

        try
        {
            await using (var input = cmd.CreateInputStream())
                await WatchAsync(converse(input, Until), command, limit.Token);
            await WatchAsync(running, command, limit.Token);
            await reading.WaitAsync(TimeSpan.FromSeconds(10), limit.Token);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new TimeoutException($"'{command}' on {Endpoint} did not finish within {timeout?.TotalSeconds} s");
        }
        catch (Renci.SshNet.Common.SshOperationTimeoutException)
        {
            // SSH.NET gave up waiting for the board to take more data (its window): the same silence the keep-alive watches for.
            throw new PeerFrozenException(Endpoint, command, Endpoint.ConnectTimeout, "the board took none of the data sent");
        }
        catch (Exception e) when (e is Renci.SshNet.Common.SshConnectionException or System.Net.Sockets.SocketException)
        {
            throw new BoardLinkLostException(Endpoint, command, e);
        }
        string output;
        lock (printed) output = printed.ToString();
        return new RemoteResult(command, cmd.ExitStatus ?? -1, output, cmd.Error, watch.Elapsed);
    }
}
