using KernelSoak.Netconsole;
using KernelSoak.Remote;
using KernelSoak.Reports;

namespace KernelSoak.Soak;

/// <summary>
/// The netconsole side of a probe: a receiver on the host, the board's configfs target pointing at it,
/// its own classifier (source "netconsole") feeding the same report book as the SSH stream.
/// </summary>
public sealed class NetconsoleChannel : IAsyncDisposable
{
    private readonly NetconsoleReceiver _receiver;
    private readonly ReportClassifier _classifier = new("netconsole");
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<KernelReport> _onReport;
    private Task _running = Task.CompletedTask;

    private NetconsoleChannel(NetconsoleReceiver receiver, string recordsLog, Action<KernelReport> onReport)
    {
        _receiver = receiver;
        _onReport = onReport;
        _records = new StreamWriter(recordsLog, append: true) { AutoFlush = true };
    }

    /// <summary>The parsed lines (fragments joined), beside the raw datagrams: what the merged log reads.</summary>
    public const string RecordsFile = "netconsole-records.log";
    private readonly StreamWriter _records;

    public static async Task<NetconsoleChannel> StartAsync(SshTarget ssh, NetconsoleWatch watch, string directory, Action<KernelReport> onReport,
        Action<string> say, CancellationToken cancellation)
    {
        var channel = new NetconsoleChannel(new NetconsoleReceiver(watch.Bind, Path.Combine(directory, "netconsole.log")), Path.Combine(directory, RecordsFile), onReport);
        channel._running = Task.WhenAll(channel._receiver.RunAsync(channel.Feed, channel._stop.Token), channel.FlushWhenQuietAsync());
        var setup = await ssh.RunAsync(watch.Target.SetupCommand(), TimeSpan.FromSeconds(30), cancellation);
        if (!setup.Succeeded)
        {
            await channel.DisposeAsync();
            throw new InvalidOperationException($"could not start netconsole on the board (exit {setup.ExitCode}): {setup.Error.Trim()}. " +
                "Check [Netconsole] BoardInterface/TargetAddress, or set [monitor] netconsole = false");
        }
        say($"netconsole: board {watch.Target.Interface} → {watch.Target.RemoteIp}:{watch.Target.RemotePort}, listening on udp {channel._receiver.LocalEndpoint}");
        return channel;
    }

    /// <summary>A report's end marker may never come (a kernel that died mid-report): a quiet second ends it.</summary>
    private async Task FlushWhenQuietAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                if (_receiver.SinceLastDatagram <= TimeSpan.FromSeconds(1)) continue;
                List<KernelReport> reports;
                lock (_gate) reports = _classifier.Flush().ToList();
                foreach (var r in reports) _onReport(r);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Feed(NetconsoleLine line)
    {
        List<KernelReport> reports;
        lock (_gate)
        {
            _records.WriteLine(line.Line);
            reports = _classifier.Feed(line.Line).ToList();
        }
        foreach (var r in reports) _onReport(r);
    }

    /// <summary>Stops listening and flushes the classifier; takes the board's target down when the board still answers.</summary>
    public async Task StopAsync(SshTarget? stillAnswering)
    {
        if (stillAnswering is not null)
            await stillAnswering.RunAsync(NetconsoleTarget.TeardownCommand(), TimeSpan.FromSeconds(15)).ContinueWith(t => t.Exception, TaskScheduler.Default);
        await _stop.CancelAsync();
        await _running;
        List<KernelReport> reports;
        lock (_gate) reports = _classifier.Flush().ToList();
        foreach (var r in reports) _onReport(r);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync();
        try { await _running; } catch (OperationCanceledException) { }
        await _receiver.DisposeAsync();
        lock (_gate) _records.Dispose();
        _stop.Dispose();
    }
}
