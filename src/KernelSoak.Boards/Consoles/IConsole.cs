using System.Text.RegularExpressions;

namespace KernelSoak.Boards.Consoles;

/// <summary>
/// A board's serial console, whatever carries it (a USB-UART, ser2net over TCP, QEMU's socket): what it
/// printed is captured byte for byte to <see cref="CapturePath"/> from the moment it is opened (open it
/// before powering the board on), offsets count bytes of that capture, and text typed goes to the board.
/// </summary>
public interface IConsole : IAsyncDisposable
{
    /// <summary>What this console is, for messages ("/dev/ttyUSB0 at 1500000 8N1", "ser2net 10.0.0.5:3001 (telnet)").</summary>
    string Description { get; }

    /// <summary>The capture file: every byte the console received, in order, nothing added.</summary>
    string CapturePath { get; }

    /// <summary>
    /// The capture is the board's own and older than this run (the emulated board's serial log): an offset an
    /// earlier run took in it still holds, and the board's start already named it. False: it starts with this run.
    /// </summary>
    bool OutlivesTheRun { get; }

    /// <summary>Bytes received so far: take it before acting, then search past it.</summary>
    long Length { get; }

    /// <summary>The text received from <paramref name="offset"/> on (an offset past the end, as after a truncating power-on, reads from the start).</summary>
    string ReadFrom(long offset);

    /// <summary>Chunks as they arrive from <paramref name="offset"/> on, each with the time it was read; ends when the console closes.</summary>
    IAsyncEnumerable<ConsoleChunk> ReadAsync(long offset, CancellationToken cancellation = default);

    /// <summary>Waits until <paramref name="pattern"/> matches the text past <paramref name="offset"/>; <see cref="TimeoutException"/> when it does not in time.</summary>
    Task<Match> ExpectAsync(Regex pattern, long offset, TimeSpan timeout, CancellationToken cancellation = default);

    /// <summary>Types text at the board (paced as the console needs: a UART under U-Boot takes one character at a time).</summary>
    Task WriteAsync(string text, CancellationToken cancellation = default);
}

/// <summary>Console output as it arrived: where it starts in the capture, when it was read, the bytes.</summary>
public readonly record struct ConsoleChunk(long Offset, DateTimeOffset At, ReadOnlyMemory<byte> Bytes);

/// <summary>The console's link went away (a USB-UART unplugged, ser2net closed the connection): infrastructure trouble, never a kernel verdict.</summary>
public sealed class ConsoleClosedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What carries the bytes of a <see cref="CapturedConsole"/>: a tty, a TCP connection.</summary>
public interface IConsoleTransport : IAsyncDisposable
{
    string Description { get; }

    /// <summary>Reads what the board printed; 0 when the link closed.</summary>
    ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellation);

    ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellation);
}
