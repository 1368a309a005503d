using System.Diagnostics;

namespace KernelSoak.Deploy;

/// <summary>
/// Counts what goes through to the board and says how far it got, with bytes/s — once a second, and only
/// once the transfer has taken two seconds (short copies stay quiet).
/// </summary>
public sealed class ProgressStream(Stream inner, string what, long total, Action<string> report) : Stream
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private long _sent;
    private TimeSpan _lastReport = TimeSpan.FromSeconds(1);

    public static string Describe(string what, long sent, long total, TimeSpan elapsed) =>
        $"{what}: {sent / 1048576.0:0.0}/{total / 1048576.0:0.0} MiB ({(total > 0 ? 100 * sent / total : 100)} %), " +
        $"{(elapsed.TotalSeconds > 0 ? sent / 1048576.0 / elapsed.TotalSeconds : 0):0.00} MiB/s";

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken);
        Count(buffer.Length);
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        inner.Write(buffer, offset, count);
        Count(count);
    }

    private void Count(int bytes)
    {
        _sent += bytes;
        var elapsed = _watch.Elapsed;
        if (elapsed < TimeSpan.FromSeconds(2) || elapsed - _lastReport < TimeSpan.FromSeconds(1)) return;
        _lastReport = elapsed;
        report(Describe(what, _sent, total, elapsed));
    }

    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _sent;
    // A counting pass-through for an upload (CanRead/CanSeek are false): the Stream contract's answer to the rest.
    public override long Position { get => _sent; set => throw WriteOnly(); }
    public override int Read(byte[] buffer, int offset, int count) => throw WriteOnly();
    public override long Seek(long offset, SeekOrigin origin) => throw WriteOnly();
    public override void SetLength(long value) => throw WriteOnly();
    private static NotSupportedException WriteOnly() => new("ProgressStream only counts bytes written through it: it cannot be read, sought or resized");
}
