using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KernelSoak.Lava.Serving;

/// <summary>
/// A small HTTP/1.1 file server for one probe's artifacts (kernel, root disk, dtb), so the LAVA dispatcher can
/// download them: GET and HEAD of the published names only (no directory, no path from the request touches
/// the disk), one request per connection. Binds 127.0.0.1 unless told otherwise; a lab whose worker is
/// another machine binds the host's lab address and advertises the name the worker resolves.
/// </summary>
public sealed class ArtifactServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly ConcurrentDictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly string _advertisedHost;
    private int _served;

    public ArtifactServer(IPAddress? bind = null, int port = 0, string? advertisedHost = null)
    {
        bind ??= IPAddress.Loopback;
        _listener = new TcpListener(bind, port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _advertisedHost = advertisedHost ?? (bind.Equals(IPAddress.Any) ? throw new ArgumentException("bound to every address: say which host name the worker should use") : bind.ToString());
        _accepting = AcceptAsync(_stop.Token);
    }

    public int Port { get; }

    /// <summary>Requests answered with a file (GET or HEAD): a test's proof that the dispatcher came.</summary>
    public int Served => Volatile.Read(ref _served);

    /// <summary>Publishes <paramref name="path"/> as /<paramref name="name"/>; its URL for the job.</summary>
    public Uri Publish(string name, string path)
    {
        if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')) || name.StartsWith('.'))
            throw new ArgumentException($"artifact name '{name}': letters, digits and .-_ only (it becomes a URL path)");
        if (!File.Exists(path)) throw new FileNotFoundException($"no artifact at {path}", path);
        _files[name] = Path.GetFullPath(path);
        return new Uri($"http://{_advertisedHost}:{Port.ToString(CultureInfo.InvariantCulture)}/{name}");
    }

    private async Task AcceptAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(stop);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ServeAsync(client, stop);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stop)
    {
        using var _ = client;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(TimeSpan.FromMinutes(10)); // a stalled reader cannot hold a connection forever
            var stream = client.GetStream();
            var (method, target) = await ReadRequestAsync(stream, timeout.Token);
            if (method is not ("GET" or "HEAD"))
            {
                await WriteHeadAsync(stream, 405, "Method Not Allowed", 0, timeout.Token);
                return;
            }
            var name = Uri.UnescapeDataString(target.Split('?')[0].TrimStart('/'));
            if (!_files.TryGetValue(name, out var path) || !File.Exists(path))
            {
                await WriteHeadAsync(stream, 404, "Not Found", 0, timeout.Token);
                return;
            }
            await using var file = File.OpenRead(path);
            await WriteHeadAsync(stream, 200, "OK", file.Length, timeout.Token);
            if (method == "GET") await file.CopyToAsync(stream, timeout.Token);
            Interlocked.Increment(ref _served);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or FormatException)
        {
            // The client went away or sent no HTTP: nothing to answer.
        }
    }

    /// <summary>Reads the request line and the headers (ignored) up to the blank line; refuses more than 16 KiB.</summary>
    private static async Task<(string Method, string Target)> ReadRequestAsync(NetworkStream stream, CancellationToken cancellation)
    {
        var buffer = new byte[16 * 1024];
        var length = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellation);
            if (read == 0) throw new FormatException("the connection closed before the request ended");
            length += read;
            var text = Encoding.ASCII.GetString(buffer, 0, length);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var parts = text[..text.IndexOf("\r\n", StringComparison.Ordinal)].Split(' ');
                return parts.Length == 3 ? (parts[0], parts[1]) : throw new FormatException("not an HTTP request line");
            }
            if (length == buffer.Length) throw new FormatException("request headers over 16 KiB");
        }
    }

    private static Task WriteHeadAsync(NetworkStream stream, int status, string reason, long length, CancellationToken cancellation)
    {
        var head = $"HTTP/1.1 {status.ToString(CultureInfo.InvariantCulture)} {reason}\r\nContent-Type: application/octet-stream\r\n" +
                   $"Content-Length: {length.ToString(CultureInfo.InvariantCulture)}\r\nConnection: close\r\n\r\n";
        return stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellation).AsTask();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
