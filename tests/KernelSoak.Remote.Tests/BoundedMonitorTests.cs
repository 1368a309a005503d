using KernelSoak.Remote;
using KernelSoak.Reports;
using KernelSoak.Soak;

namespace KernelSoak.Remote.Tests;

/// <summary>
/// The live kernel-log monitor through a real sshd, fed a 100 MiB line (binary junk, a runaway program)
/// and then a real KASAN report: it survives, reports the report, keeps every byte in its raw log, and
/// holds a bounded amount of memory while the line streams past (issue 16, item 3).
/// </summary>
[TestFixture]
public sealed class BoundedMonitorTests
{
    private const long LongLine = 100L * 1024 * 1024;
    /// <summary>What reading one line may cost in memory, whatever its length (issue 16: 64 MiB of line buffer).</summary>
    private const long HeapBudget = 64L * 1024 * 1024;
    /// <summary>Resident memory may grow by more (the runtime's own allocation budget, SSH.NET's packets), not by the line.</summary>
    private const long ResidentBudget = 192L * 1024 * 1024;

    private ThrowawaySshd _sshd = null!;

    [OneTimeSetUp]
    public void StartDaemon() => _sshd = ThrowawaySshd.Start();

    [OneTimeTearDown]
    public void StopDaemon() => _sshd.Dispose();

    private static string Corpus(string name)
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KernelSoak.slnx"))) dir = dir.Parent;
        return Path.Combine(dir!.FullName, "tests", "KernelSoak.Reports.Tests", "testdata", "corpus", name);
    }

    [Test]
    public async Task A_100_MiB_line_before_a_KASAN_report_is_survived_the_report_found_every_byte_kept_and_memory_stays_bounded()
    {
        var report = Corpus("arm64-6.1/08-corpus_kasan_oob_write/dmesg.txt");
        var dir = Directory.CreateTempSubdirectory("ks-bounded-").FullName;
        var rawLog = Path.Combine(dir, "kmsg.log");
        try
        {
            using var ssh = await SshTarget.ConnectAsync(_sshd.Endpoint());
            var reports = new List<KernelReport>();
            var monitor = new KernelLogMonitor(ssh, rawLog, "ssh", r => { lock (reports) reports.Add(r); })
            {
                Command = $"head -c {LongLine} /dev/zero | tr '\\0' x; printf '\\n'; cat {KernelSoak.Processes.CommandLine.Quote(report)}",
            };

            var printed = LongLine + 1 + new FileInfo(report).Length;
            using var peak = MemoryPeak.Start();
            using var stop = new CancellationTokenSource();
            var running = monitor.RunAsync(stop.Token);
            // The monitor follows until cancelled (a kernel log never ends): stop once all was printed and the report is in.
            var deadline = DateTime.UtcNow.AddMinutes(5);
            while (!running.IsCompleted && DateTime.UtcNow < deadline && !(Reported(reports) && File.Exists(rawLog) && new FileInfo(rawLog).Length >= printed))
                await Task.Delay(200);
            await stop.CancelAsync();
            await running;
            var (heap, resident) = peak.Stop();
            TestContext.Out.WriteLine($"peak growth while streaming: managed heap after a GC {heap / 1048576.0:0.0} MiB, resident {resident / 1048576.0:0.0} MiB");

            Assert.That(reports.Select(r => (r.Class, r.FirstLine)), Does.Contain((ReportClass.Kasan, "BUG: KASAN: slab-out-of-bounds in corpus_kasan_oob_write+0x44/0x60 [corpus_trigger]")));
            AssertRawLogIsWhatWasPrinted(rawLog, File.ReadAllBytes(report));
            Assert.That(heap, Is.LessThan(HeapBudget), "the managed heap grew with the line");
            Assert.That(resident, Is.LessThan(ResidentBudget), "the process's resident memory grew with the line");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static bool Reported(List<KernelReport> reports)
    {
        lock (reports) return reports.Any(r => r.Class == ReportClass.Kasan);
    }

    /// <summary>The raw log holds the 100 MiB line whole, its newline and the report, byte for byte.</summary>
    private static void AssertRawLogIsWhatWasPrinted(string rawLog, byte[] report)
    {
        using var raw = File.OpenRead(rawLog);
        Assert.That(raw.Length, Is.EqualTo(LongLine + 1 + report.Length), "raw log size");
        var buffer = new byte[1 << 20];
        long left = LongLine, notX = 0;
        while (left > 0)
        {
            var n = raw.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            notX += buffer.AsSpan(0, n).IndexOfAnyExcept((byte)'x') >= 0 ? 1 : 0;
            left -= n;
        }
        Assert.That(notX, Is.Zero, "the long line is in the raw log as printed");
        var rest = new byte[1 + report.Length];
        raw.ReadExactly(rest);
        Assert.That(rest, Is.EqualTo(new[] { (byte)'\n' }.Concat(report).ToArray()), "the report follows byte for byte");
    }

    /// <summary>
    /// Samples, every few milliseconds, the managed heap as the last GC left it (garbage a GC would free
    /// does not count; a line held whole does) and the resident set, as growth over the start.
    /// </summary>
    private sealed class MemoryPeak : IDisposable
    {
        private readonly long _heapAtStart;
        private readonly long _residentAtStart;
        private readonly Thread _sampler;
        private volatile bool _stop;
        private long _heapPeak, _residentPeak;

        private MemoryPeak()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            _heapAtStart = GC.GetGCMemoryInfo().HeapSizeBytes;
            _residentAtStart = Environment.WorkingSet;
            _sampler = new Thread(Sample) { IsBackground = true };
        }

        public static MemoryPeak Start()
        {
            var peak = new MemoryPeak();
            peak._sampler.Start();
            return peak;
        }

        private void Sample()
        {
            while (!_stop)
            {
                _heapPeak = Math.Max(_heapPeak, GC.GetGCMemoryInfo().HeapSizeBytes - _heapAtStart);
                _residentPeak = Math.Max(_residentPeak, Environment.WorkingSet - _residentAtStart);
                Thread.Sleep(5);
            }
        }

        public (long Heap, long Resident) Stop()
        {
            _stop = true;
            _sampler.Join();
            return (_heapPeak, _residentPeak);
        }

        public void Dispose()
        {
            if (!_stop) Stop();
        }
    }
}
