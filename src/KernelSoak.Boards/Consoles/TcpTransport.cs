using System.Net.Sockets;

namespace KernelSoak.Boards.Consoles;

/// <summary>
/// A console shared over TCP, as labs do with ser2net: raw (the bytes as they are) or telnet, RFC 2217
/// included (commands answered by <see cref="TelnetCodec"/>, never seen as console text).
/// </summary>
public sealed class TcpTransport : IConsoleTransport
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly TelnetCodec? _telnet;
    private readonly SemaphoreSlim _writing = new(1, 1);

    private TcpTransport(TcpClient client, TelnetCodec? telnet)
    {
        _client = client;
        _stream = client.GetStream();
        _telnet = telnet;
    }

    /// <param name="telnet">speak telnet (ser2net's telnet or telnet(rfc2217) accepter) rather than raw</param>
    /// <param name="baud">with telnet: set the line to this baud 8N1 over RFC 2217 if the server offers it</param>
    public static async Task<TcpTransport> ConnectAsync(string host, int port, bool telnet, int? baud, TimeSpan timeout, CancellationToken cancellation = default)
    {
        var client = new TcpClient { NoDelay = true };
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(timeout);
        try
        {
            await client.ConnectAsync(host, port, limit.Token);
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellation.IsCancellationRequested))
        {
            client.Dispose();
            throw new ConsoleClosedException($"[Console] Host/Port = {host}:{port}: no console server answered ({e.Message}; is ser2net running and is this its accepter port?)", e);
        }
        var transport = new TcpTransport(client, telnet ? new TelnetCodec(baud) : null)
        {
            Description = $"{host}:{port} ({(telnet ? "telnet" : "raw")})",
        };
        if (transport._telnet is { } codec) await transport.SendAsync(codec.Opening(), cancellation);
        return transport;
    }

    public string Description { get; private init; } = "";

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellation)
    {
        while (true)
        {
            var n = await _stream.ReadAsync(buffer, cancellation);
            if (n == 0 || _telnet is null) return n;
            var (data, reply) = _telnet.Decode(buffer.Span[..n]);
            if (reply.Length > 0) await SendAsync(reply, cancellation);
            if (data > 0) return data;
            // Only commands in this read: read on rather than report a closed link.
        }
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellation) =>
        SendAsync(_telnet is null ? bytes : TelnetCodec.Escape(bytes.Span), cancellation);

    private async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellation)
    {
        await _writing.WaitAsync(cancellation);
        try
        {
            await _stream.WriteAsync(bytes, cancellation);
        }
        finally
        {
            _writing.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        _writing.Dispose();
        return ValueTask.CompletedTask;
    }
}
