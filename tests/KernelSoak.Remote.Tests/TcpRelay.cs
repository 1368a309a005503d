using System.Net;
using System.Net.Sockets;

namespace KernelSoak.Remote.Tests;

/// <summary>
/// The link between host and board, made breakable: a TCP relay on 127.0.0.1 in front of a real sshd that
/// counts the bytes going to the board and, once a given number has passed, runs a fault (cut the link,
/// kill the daemon, freeze it) at exactly that point of a transfer, whatever the machine's speed.
/// </summary>
public sealed class TcpRelay : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly List<Socket> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private long _toBoard;
    private long _faultAt = long.MaxValue;
    private Action? _fault;

    public TcpRelay(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Bytes sent towards the board so far, over every connection.</summary>
    public long ToBoard => Interlocked.Read(ref _toBoard);

    /// <summary>Once <paramref name="moreBytes"/> more have gone towards the board, <paramref name="fault"/> runs (once).</summary>
    public void After(long moreBytes, Action fault)
    {
        _fault = fault;
        Interlocked.Exchange(ref _faultAt, ToBoard + moreBytes);
    }

    /// <summary>Both ends see the connection reset, as when a cable or a switch port goes.</summary>
    public void Cut()
    {
        lock (_open)
        {
            foreach (var s in _open) Reset(s);
            _open.Clear();
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket host;
            try
            {
                host = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            var board = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await board.ConnectAsync(IPAddress.Loopback, _target);
            }
            catch (SocketException)
            {
                // the daemon is down: the host sees its connection refused, as it would without the relay
                Reset(host);
                board.Dispose();
                continue;
            }
            lock (_open) _open.AddRange([host, board]);
            _ = PumpAsync(host, board, towardsBoard: true);
            _ = PumpAsync(board, host, towardsBoard: false);
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool towardsBoard)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0) break;
                var forward = read;
                if (towardsBoard)
                {
                    var before = Interlocked.Add(ref _toBoard, read) - read;
                    var at = Interlocked.Read(ref _faultAt);
                    if (before + read >= at && Interlocked.CompareExchange(ref _faultAt, long.MaxValue, at) == at)
                    {
                        // Deliver up to the exact byte, then the fault.
                        forward = (int)Math.Max(0, at - before);
                        if (forward > 0) await to.SendAsync(buffer.AsMemory(0, forward), SocketFlags.None);
                        _fault?.Invoke();
                        if (read > forward) await to.SendAsync(buffer.AsMemory(forward, read - forward), SocketFlags.None);
                        continue;
                    }
                }
                await to.SendAsync(buffer.AsMemory(0, forward), SocketFlags.None);
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Cut, or one side went away: the other side sees a reset, as it would without the relay.
            Reset(from);
            Reset(to);
        }
    }

    /// <summary>Closes with an RST, not a polite FIN: the peer sees the connection reset.</summary>
    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (ObjectDisposedException)
        {
            // closed already (by the other pump, or a cut)
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        Cut();
        _stop.Dispose();
    }
}
