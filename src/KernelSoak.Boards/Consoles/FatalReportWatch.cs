using System.Text;
using System.Threading.Channels;
using KernelSoak.Remote;
using KernelSoak.Reports;

namespace KernelSoak.Boards.Consoles;

/// <summary>
/// Reads a console during a boot through the project's report classifier and returns the first report
/// that means the kernel will not come up, the moment it closes (a panic closes on its "---[ end Kernel
/// panic" line), so a boot wait ends at once instead of at its timeout. Which classes end it is the
/// caller's: by default a panic only, since an oops in a driver's probe leaves a kernel that often boots
/// on (its report is still handed to <c>onReport</c>); add Oops for a kernel booted with panic_on_oops.
/// A fatal report left open (no end marker) is closed after a quiet spell of the console.
/// </summary>
public sealed class FatalReportWatch(IConsole console, IReadOnlySet<ReportClass>? fatal = null, Action<KernelReport>? onReport = null)
{
    public static readonly IReadOnlySet<ReportClass> PanicOnly = new HashSet<ReportClass> { ReportClass.Panic };

    private readonly IReadOnlySet<ReportClass> _fatal = fatal ?? PanicOnly;

    /// <summary>How long the console must stay silent before a report without an end marker is closed.</summary>
    public TimeSpan Quiet { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The first fatal report past <paramref name="offset"/>; null if the console closes first. Runs until cancelled.</summary>
    public async Task<KernelReport?> FirstFatalAsync(long offset, CancellationToken cancellation)
    {
        var lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var reader = Task.Run(() => SplitLinesAsync(offset, lines.Writer, stop.Token), CancellationToken.None);
        try
        {
            return await ClassifyAsync(lines.Reader, cancellation);
        }
        finally
        {
            await stop.CancelAsync();
            await reader;
        }
    }

    private async Task SplitLinesAsync(long offset, ChannelWriter<string> lines, CancellationToken cancellation)
    {
        // Latin-1 as the console's own text (one byte, one char); a line of any length holds at most the cap.
        var splitter = new LineSplitter(Encoding.Latin1);
        try
        {
            await foreach (var chunk in console.ReadAsync(offset, cancellation))
                splitter.Feed(chunk.Bytes.Span, line => lines.TryWrite(line));
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
        finally
        {
            lines.TryComplete();
        }
    }

    private async Task<KernelReport?> ClassifyAsync(ChannelReader<string> lines, CancellationToken cancellation)
    {
        var classifier = new ReportClassifier("console");
        while (true)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            quiet.CancelAfter(Quiet);
            try
            {
                if (!await lines.WaitToReadAsync(quiet.Token))
                    return classifier.Flush().Select(Fatal).FirstOrDefault(r => r is not null);
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                if (classifier.InReport && classifier.Flush().Select(Fatal).FirstOrDefault(r => r is not null) is { } closed) return closed;
                continue;
            }
            while (lines.TryRead(out var line))
                if (Fatal(classifier.FeedOne(line)) is { } report) return report;
        }
    }

    private KernelReport? Fatal(KernelReport? report)
    {
        if (report is null) return null;
        onReport?.Invoke(report);
        return _fatal.Contains(report.Class) ? report : null;
    }
}
