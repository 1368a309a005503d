using System.IO.Ports;
using KernelSoak.Tests.Boards;

namespace KernelSoak.Remote.Tests;

/// <summary>
/// Two real ptys joined by socat: <see cref="ConsoleEnd"/> is the device the console under test opens
/// (as it would /dev/ttyUSB0), <see cref="BoardEnd"/> is where the scripted board speaks.
/// </summary>
public sealed class PtyPair : IDisposable
{
    private readonly LabDaemon _socat;

    private PtyPair(string dir, LabDaemon socat)
    {
        Dir = dir;
        _socat = socat;
    }

    public string Dir { get; }
    public string ConsoleEnd => Path.Combine(Dir, "console");
    public string BoardEnd => Path.Combine(Dir, "board");

    public static PtyPair Start(string dir)
    {
        var socat = LabDaemon.Require("socat", "socat");
        var pair = new PtyPair(dir, LabDaemon.Start(socat, Path.Combine(dir, "socat.log"), "-d", "-d",
            $"pty,raw,echo=0,link={Path.Combine(dir, "console")}", $"pty,raw,echo=0,link={Path.Combine(dir, "board")}"));
        pair._socat.WaitUntil(() => File.Exists(pair.ConsoleEnd) && File.Exists(pair.BoardEnd), "socat's ptys");
        return pair;
    }

    public void Dispose() => _socat.Dispose();
}

/// <summary>The scripted board speaking on a tty: what it sends goes out of the port, what arrives it hears.</summary>
public sealed class BoardOnTty : IAsyncDisposable
{
    private readonly SerialPort _port;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private readonly MemoryStream _heard = new();

    public BoardOnTty(string device, ScriptedBoard? board = null)
    {
        _port = new SerialPort(device, 1500000, Parity.None, 8, StopBits.One);
        _port.Open();
        Board = board;
        if (board is not null) board.Send = bytes => SendAsync(bytes);
        _pump = Task.Run(PumpAsync);
    }

    public ScriptedBoard? Board { get; }

    public byte[] Heard
    {
        get { lock (_heard) return _heard.ToArray(); }
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        await _port.BaseStream.WriteAsync(bytes);
        await _port.BaseStream.FlushAsync();
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var n = await _port.BaseStream.ReadAsync(buffer, _stop.Token);
                if (n == 0) return;
                lock (_heard) _heard.Write(buffer, 0, n);
                Board?.Hear(buffer.AsSpan(0, n));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _port.Dispose();
        await _pump;
        _stop.Dispose();
    }
}
