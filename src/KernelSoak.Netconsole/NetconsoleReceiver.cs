using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace KernelSoak.Netconsole;

/// <summary>
/// A UDP listener for one board's netconsole: saves every datagram verbatim (the raw stream) and hands
/// the parsed lines on. Bound before the board is told to send, so nothing of the window is missed.
/// </summary>
public sealed class NetconsoleReceiver : IAsyncDisposable
{
    private readonly UdpClient _socket;
    private readonly FileStream _raw;
    private readonly NetconsoleParser _parser = new();
    private long _last = Stopwatch.GetTimestamp();

    public NetconsoleReceiver(IPEndPoint bind, string rawLog)
    {
        try
        {
            _socket = new UdpClient(bind);
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"cannot listen for netconsole on udp {bind}: {e.Message}. Set [Netconsole] HostAddress/HostPort to a free local address", e);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(rawLog))!);
        _raw = new FileStream(rawLog, FileMode.Append, FileAccess.Write, FileShare.Read);
    }

    public IPEndPoint LocalEndpoint => (IPEndPoint)_socket.Client.LocalEndPoint!;
    public int Datagrams { get; private set; }
    public int IncompleteRecords => _parser.IncompleteRecords;
    public TimeSpan SinceLastDatagram => Stopwatch.GetElapsedTime(Interlocked.Read(ref _last));

    /// <summary>Receives until cancelled; <paramref name="onLine"/> sees every line, in arrival order.</summary>
    public async Task RunAsync(Action<NetconsoleLine> onLine, CancellationToken cancellation)
    {
        try
        {
            while (true)
            {
                var datagram = await _socket.ReceiveAsync(cancellation);
                Interlocked.Exchange(ref _last, Stopwatch.GetTimestamp());
                Datagrams++;
                await _raw.WriteAsync(datagram.Buffer, CancellationToken.None);
                await _raw.FlushAsync(CancellationToken.None);
                foreach (var line in _parser.Feed(datagram.Buffer)) onLine(line);
            }
        }
        catch (OperationCanceledException)
        {
            foreach (var line in _parser.Flush()) onLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        await _raw.DisposeAsync();
    }
}
