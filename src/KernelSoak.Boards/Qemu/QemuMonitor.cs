using System.Net.Sockets;
using System.Text;

namespace KernelSoak.Boards.Qemu;

/// <summary>QEMU's human monitor on a unix socket: one command, its answer up to the next prompt.</summary>
public static class QemuMonitor
{
    private const string Prompt = "(qemu) ";

    public static async Task<string> SendAsync(string socketPath, string command, CancellationToken cancellation = default)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellation);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await ReadUntilPromptAsync(stream, cancellation);   // the banner
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\n"), cancellation);
        // 'quit' closes the socket instead of prompting again.
        return command == "quit" ? "" : await ReadUntilPromptAsync(stream, cancellation);
    }

    private static async Task<string> ReadUntilPromptAsync(Stream stream, CancellationToken cancellation)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(TimeSpan.FromSeconds(10));
        while (!text.ToString().EndsWith(Prompt, StringComparison.Ordinal))
        {
            var n = await stream.ReadAsync(buffer, limit.Token);
            if (n == 0) break;
            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        return text.ToString();
    }
}
