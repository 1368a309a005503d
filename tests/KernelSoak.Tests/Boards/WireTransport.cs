using System.Threading.Channels;
using KernelSoak.Boards.Consoles;

namespace KernelSoak.Tests.Boards;

/// <summary>A console link in memory: what the scripted board sends is read by the console, what the console writes the board hears.</summary>
public sealed class WireTransport : IConsoleTransport
{
    private readonly Channel<byte[]> _fromBoard = Channel.CreateUnbounded<byte[]>();
    private byte[] _left = [];
    private int _at;

    public WireTransport(ScriptedBoard board)
    {
        Board = board;
        board.Send = async bytes => await _fromBoard.Writer.WriteAsync(bytes.ToArray());
    }

    public ScriptedBoard Board { get; }
    public string Description => "the scripted board's wire";

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellation)
    {
        if (_at >= _left.Length)
        {
            if (!await _fromBoard.Reader.WaitToReadAsync(cancellation)) return 0;
            _left = await _fromBoard.Reader.ReadAsync(cancellation);
            _at = 0;
        }
        var n = Math.Min(buffer.Length, _left.Length - _at);
        _left.AsMemory(_at, n).CopyTo(buffer);
        _at += n;
        return n;
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellation)
    {
        Board.Hear(bytes.Span);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _fromBoard.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
