using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace KernelSoak.Boards.Consoles;

/// <summary>
/// A console over a byte transport (a tty, a TCP connection): a pump reads from the moment it opens and
/// appends every byte to the capture file (flushed per read, so a crash of this process keeps what came),
/// with "offset TAB unix-ms" lines in the .times file beside it; waiters are woken per read.
/// Text is decoded as Latin-1: one byte is one character, so an offset plus a text's length is the next
/// offset even when a baud mismatch prints garbage (the patterns we look for are ASCII).
/// </summary>
public sealed class CapturedConsole : IConsole
{
    private readonly IConsoleTransport _transport;
    private readonly FileStream _capture;
    private readonly StreamWriter _times;
    private readonly List<(long Offset, DateTimeOffset At)> _index = [];
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan _characterDelay;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _length;
    private ConsoleClosedException? _closed;
    private Task _pump = Task.CompletedTask;

    private CapturedConsole(IConsoleTransport transport, string capturePath, TimeSpan characterDelay)
    {
        _transport = transport;
        _characterDelay = characterDelay;
        CapturePath = Path.GetFullPath(capturePath);
        Directory.CreateDirectory(Path.GetDirectoryName(CapturePath)!);
        _capture = new FileStream(CapturePath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        _times = new StreamWriter(CapturePath + ".times", append: false, Encoding.ASCII) { AutoFlush = true };
    }

    /// <summary>Starts capturing at once (the transport is already connected).</summary>
    /// <param name="characterDelay">pause after each typed character (zero: the text goes in one write)</param>
    public static CapturedConsole Start(IConsoleTransport transport, string capturePath, TimeSpan characterDelay = default)
    {
        var console = new CapturedConsole(transport, capturePath, characterDelay);
        console._pump = Task.Run(console.PumpAsync);
        return console;
    }

    public string Description => _transport.Description;
    public string CapturePath { get; }
    public bool OutlivesTheRun => false;

    public long Length
    {
        get { lock (_gate) return _length; }
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[16 * 1024];
        ConsoleClosedException why;
        try
        {
            while (true)
            {
                var n = await _transport.ReadAsync(buffer, _stop.Token);
                if (n == 0)
                {
                    why = new ConsoleClosedException($"{Description}: the connection closed");
                    break;
                }
                var at = DateTimeOffset.UtcNow;
                await _capture.WriteAsync(buffer.AsMemory(0, n));
                await _capture.FlushAsync();
                long offset;
                lock (_gate) offset = _length;
                await _times.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{offset}\t{at.ToUnixTimeMilliseconds()}"));
                lock (_gate)
                {
                    _index.Add((offset, at));
                    _length += n;
                    Signal();
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            why = new ConsoleClosedException($"{Description}: closed by us");
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            why = new ConsoleClosedException($"{Description}: {e.Message}", e);
        }
        lock (_gate)
        {
            _closed = why;
            Signal();
        }
    }

    private void Signal()
    {
        var woken = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        woken.TrySetResult();
    }

    public string ReadFrom(long offset)
    {
        var end = Length;
        if (offset > end || offset < 0) offset = 0;
        return Encoding.Latin1.GetString(ReadBytes(offset, end));
    }

    private byte[] ReadBytes(long from, long to)
    {
        if (to <= from) return [];
        using var stream = new FileStream(CapturePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(from, SeekOrigin.Begin);
        var bytes = new byte[to - from];
        stream.ReadExactly(bytes);
        return bytes;
    }

    public async IAsyncEnumerable<ConsoleChunk> ReadAsync(long offset, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var position = Math.Max(0, offset);
        while (true)
        {
            Task changed;
            long length;
            List<(long Offset, DateTimeOffset At)> pieces;
            bool closed;
            lock (_gate)
            {
                changed = _changed.Task;
                length = _length;
                closed = _closed is not null;
                if (position > length) position = 0;
                // The reads that hold [position, length): each is yielded with its own time.
                var first = _index.FindLastIndex(e => e.Offset <= position);
                pieces = first < 0 ? [] : _index.GetRange(first, _index.Count - first);
            }
            if (length > position)
            {
                var bytes = ReadBytes(position, length);
                for (var i = 0; i < pieces.Count; i++)
                {
                    var start = Math.Max(position, pieces[i].Offset);
                    var end = i + 1 < pieces.Count ? Math.Min(pieces[i + 1].Offset, length) : length;
                    if (end <= start) continue;
                    yield return new ConsoleChunk(start, pieces[i].At, bytes.AsMemory((int)(start - position), (int)(end - start)));
                }
                position = length;
                continue;
            }
            if (closed) yield break;
            await changed.WaitAsync(cancellation);
        }
    }

    public async Task<Match> ExpectAsync(Regex pattern, long offset, TimeSpan timeout, CancellationToken cancellation = default)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            Task changed;
            ConsoleClosedException? closed;
            lock (_gate)
            {
                changed = _changed.Task;
                closed = _closed;
            }
            var match = pattern.Match(ReadFrom(offset));
            if (match.Success) return match;
            if (closed is not null) throw new ConsoleClosedException($"'{pattern}' not seen before the console closed: {closed.Message}", closed);
            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"'{pattern}' did not appear on {Description} within {timeout.TotalSeconds:0.#} s; last lines: {ConsoleText.Tail(ReadFrom(offset), 5)}");
            try
            {
                await changed.WaitAsync(left, cancellation);
            }
            catch (TimeoutException)
            {
                // Loop once more: the deadline check above reports it with the console's last lines.
            }
        }
    }

    public async Task WriteAsync(string text, CancellationToken cancellation = default)
    {
        lock (_gate)
            if (_closed is { } closed) throw new ConsoleClosedException($"cannot type at {Description}: {closed.Message}", closed);
        var bytes = Encoding.Latin1.GetBytes(text);
        await _writing.WaitAsync(cancellation);
        try
        {
            if (_characterDelay <= TimeSpan.Zero)
            {
                await _transport.WriteAsync(bytes, cancellation);
                return;
            }
            for (var i = 0; i < bytes.Length; i++)
            {
                await _transport.WriteAsync(bytes.AsMemory(i, 1), cancellation);
                await Task.Delay(_characterDelay, cancellation);
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _transport.DisposeAsync();
        await _pump;
        await _capture.DisposeAsync();
        await _times.DisposeAsync();
        _stop.Dispose();
        _writing.Dispose();
    }
}
