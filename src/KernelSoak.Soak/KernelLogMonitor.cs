using System.Diagnostics;
using KernelSoak.Reports;
using KernelSoak.Remote;

namespace KernelSoak.Soak;

/// <summary>
/// Follows the board's kernel log over SSH from the start of the current boot (/dev/kmsg replays the
/// buffer before following, so nothing printed before the monitor attached is lost), saves the raw
/// stream verbatim and classifies it live; a report is emitted once its end marker arrives or after a
/// quiet second.
/// </summary>
public sealed class KernelLogMonitor(SshTarget ssh, string rawLog, string source, Action<KernelReport> onReport)
{
    /// <summary>Records printed before this kernel time are kept in the raw log but not classified (an earlier probe on the same boot).</summary>
    public double? Since { get; init; }

    /// <summary>What prints the kernel log on the board (a test replays a saved log through a real sshd instead).</summary>
    public string Command { get; init; } = "cat /dev/kmsg";

    private readonly ReportClassifier _classifier = new(source);
    private readonly Lock _gate = new();
    private long _lastLine = Stopwatch.GetTimestamp();

    public int Lines { get; private set; }
    /// <summary>When the log last moved (for wedge detection: a live kernel prints).</summary>
    public TimeSpan SinceLastLine => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastLine));

    public async Task RunAsync(CancellationToken cancellation)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(rawLog)!);
        // Byte for byte as the board sent it: lines are cut for the classifier (LineSplitter), never here.
        await using var raw = new FileStream(rawLog, FileMode.Append, FileAccess.Write, FileShare.Read);
        using var quiet = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        var flusher = Task.Run(async () =>
        {
            try
            {
                while (await quiet.WaitForNextTickAsync(cancellation))
                    if (SinceLastLine > TimeSpan.FromSeconds(1)) Emit(_classifier.Flush);
            }
            catch (OperationCanceledException) { }
        }, CancellationToken.None);
        await ssh.StreamAsync(Command, bytes =>
        {
            raw.Write(bytes.Span);
            raw.Flush();
            // The log moves while a long line streams, before the line is whole.
            Interlocked.Exchange(ref _lastLine, Stopwatch.GetTimestamp());
        }, line =>
        {
            if (Since is { } since && LogLine.Parse(line).Timestamp is { } t && t < since) return;
            Emit(() => _classifier.Feed(line));
        }, cancellation);
        await flusher;
        Emit(_classifier.Flush);
    }

    private void Emit(Func<IEnumerable<KernelReport>> produce)
    {
        List<KernelReport> reports;
        lock (_gate)
        {
            reports = produce().ToList();
            Lines++;
        }
        foreach (var r in reports) onReport(r);
    }
}
