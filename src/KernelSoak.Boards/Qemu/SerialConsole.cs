using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace KernelSoak.Boards.Qemu;

/// <summary>
/// The board's serial console: console.log to read (it grows across resets, so callers search past an
/// offset they took before acting) and serial.sock to type into (U-Boot's menu, a shell). QEMU itself
/// writes console.log from power-on (the chardev's logfile), so this console captures even while no
/// KernelSoak process runs; read as a stream it is polled every 100 ms (the times are the poll's).
/// </summary>
public sealed class SerialConsole(QemuBoardFiles files) : Consoles.IConsole
{
    public string Description => $"the emulated board's serial socket ({files.SerialSocket})";
    public string CapturePath => files.ConsoleLog;
    public bool OutlivesTheRun => true;

    public long Length => File.Exists(files.ConsoleLog) ? new FileInfo(files.ConsoleLog).Length : 0;

    public string ReadFrom(long offset)
    {
        if (!File.Exists(files.ConsoleLog)) return "";
        using var stream = new FileStream(files.ConsoleLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (offset > stream.Length) offset = 0;   // truncated by a power-on
        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public Task<Match> ExpectAsync(Regex pattern, long offset, TimeSpan timeout, CancellationToken cancellation = default) =>
        WaitForAsync(pattern, offset, timeout, cancellation);

    public async IAsyncEnumerable<Consoles.ConsoleChunk> ReadAsync(long offset, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var position = Math.Max(0, offset);
        while (true)
        {
            var length = Length;
            if (position > length) position = 0;   // truncated by a power-on
            if (length > position)
            {
                var bytes = new byte[length - position];
                await using (var stream = new FileStream(files.ConsoleLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
                {
                    stream.Seek(position, SeekOrigin.Begin);
                    await stream.ReadExactlyAsync(bytes, cancellation);
                }
                yield return new Consoles.ConsoleChunk(position, DateTimeOffset.UtcNow, bytes);
                position = length;
                continue;
            }
            await Task.Delay(100, cancellation);
        }
    }

    /// <summary>Nothing held open: QEMU owns the log and each write connects anew.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public async Task<Match> WaitForAsync(Regex pattern, long offset, TimeSpan timeout, CancellationToken cancellation = default)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var match = pattern.Match(ReadFrom(offset));
            if (match.Success) return match;
            if (watch.Elapsed > timeout)
                throw new TimeoutException($"'{pattern}' did not appear on the serial console within {timeout.TotalSeconds:0} s");
            await Task.Delay(100, cancellation);
        }
    }

    /// <summary>
    /// Types text like a person: one character at a time, the connection held open meanwhile. The UART
    /// under U-Boot takes one character at a time, and what QEMU holds for a closed socket is lost
    /// (seen: "2\n" in one write lost the newline and the menu waited forever).
    /// </summary>
    public async Task WriteAsync(string text, CancellationToken cancellation = default)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(files.SerialSocket), cancellation);
        foreach (var c in text)
        {
            await socket.SendAsync(new[] { (byte)c }, cancellation);
            await Task.Delay(100, cancellation);
        }
        await Task.Delay(300, cancellation);
    }
}
