using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace KernelSoak.Boards.Qemu;

/// <summary>
/// The board's serial console: console.log to read (it grows across resets, so callers search past an
/// offset they took before acting) and serial.sock to type into (U-Boot's menu, a shell).
/// </summary>
public sealed class SerialConsole(QemuBoardFiles files)
{
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
