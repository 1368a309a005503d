using System.IO.Ports;

namespace KernelSoak.Boards.Consoles;

/// <summary>
/// A tty device: a USB-UART (/dev/ttyUSB0, /dev/ttyACM0) or a pty, raw 8N1 at the given baud, no flow
/// control, DTR and RTS left low (some adapters wire them to the board's reset). System.IO.Ports opens
/// ptys too (checked: a socat pty pair at 1500000), so the emulated board's -serial pty is this same path.
/// </summary>
public sealed class TtyTransport : IConsoleTransport
{
    private readonly SerialPort _port;
    private readonly Stream _stream;

    private TtyTransport(SerialPort port)
    {
        _port = port;
        _stream = port.BaseStream;
    }

    /// <summary>Opens the device; a clear error naming <paramref name="setting"/> when it is missing or busy.</summary>
    public static TtyTransport Open(string device, int baud, string setting = "[Console] Device")
    {
        if (!File.Exists(device))
            throw new ConsoleClosedException($"{setting} = {device}: no such device (is the USB-UART plugged in? `ls /dev/ttyUSB* /dev/ttyACM*`)");
        var port = new SerialPort(device, baud, Parity.None, 8, StopBits.One)
        {
            Handshake = Handshake.None,
            DtrEnable = false,
            RtsEnable = false,
        };
        try
        {
            port.Open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            port.Dispose();
            throw new ConsoleClosedException($"{setting} = {device} at {baud} could not be opened: {e.Message} (in group dialout? held by another program such as minicom?)", e);
        }
        return new TtyTransport(port) { Description = $"{device} at {baud} 8N1" };
    }

    public string Description { get; private init; } = "";

    public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellation) => _stream.ReadAsync(buffer, cancellation);

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellation)
    {
        await _stream.WriteAsync(bytes, cancellation);
        await _stream.FlushAsync(cancellation);
    }

    public ValueTask DisposeAsync()
    {
        _port.Dispose();
        return ValueTask.CompletedTask;
    }
}
