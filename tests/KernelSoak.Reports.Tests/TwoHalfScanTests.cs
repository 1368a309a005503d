using System.Text;
using KernelSoak.Reports;

namespace KernelSoak.Reports.Tests;

/// <summary>
/// A log scanned in two halves on two cores gives what one scan gives, byte for byte of the JSON, wherever the
/// split falls: inside a report, in its prelude, between reports, on a long line.
/// </summary>
public class TwoHalfScanTests
{
    private static readonly string[] Suppress = ["^WARNING: .* at kernel/"];
    private string _log = "";

    [OneTimeSetUp]
    public void MakeLog()
    {
        var root = Path.Combine(AppContext.BaseDirectory, "testdata", "corpus");
        var files = Directory.GetDirectories(root).SelectMany(Directory.GetDirectories).Order(StringComparer.Ordinal)
            .SelectMany(d => new[] { "console.txt", "dmesg.txt" }.Select(f => Path.Combine(d, f))).Where(File.Exists).ToList();
        Assume.That(files, Is.Not.Empty, "the corpus is copied next to the tests");
        _log = Path.Combine(Path.GetTempPath(), $"ks-two-halves-{Environment.ProcessId}.log");
        using var output = File.Create(_log);
        foreach (var f in files) output.Write(File.ReadAllBytes(f));
    }

    [OneTimeTearDown]
    public void RemoveLog() => File.Delete(_log);

    private static string Json(SavedLog log)
    {
        using var buffer = new MemoryStream();
        log.WriteJson(buffer);
        return Encoding.UTF8.GetString(buffer.ToArray()) + string.Join('\n', log.Lines()) + $"\ntotal {log.Total}";
    }

    [Test]
    public void EverySplitGivesWhatOneScanGives()
    {
        var once = Json(SavedLog.Classify(_log, Suppress, null));
        var bytes = File.ReadAllBytes(_log);
        var reports = new List<KernelReport>();
        ReportScanner.Scan(new MemoryStream(bytes), "log", reports.Add);
        Assert.That(reports, Has.Count.GreaterThan(50), "a log dense with reports");
        // Every line start around three reports (prelude, header, body, the lines after it), and splits spread over the log.
        var splits = new SortedSet<long>();
        foreach (var r in new[] { reports[5], reports[reports.Count / 2], reports[^3] })
            for (var at = Math.Max(0, r.StartOffset!.Value - 400); at < r.EndOffset!.Value + 400 && at < bytes.Length; at++)
                if (at > 0 && bytes[at - 1] == '\n') splits.Add(at);
        for (var i = 1; i < 40; i++) splits.Add(bytes.Length * i / 40); // mid-line: moved to the next line start
        var agreed = 0;
        foreach (var split in splits)
        {
            var twice = SavedLog.Classify(_log, Suppress, split);
            Assert.That(Json(twice), Is.EqualTo(once), $"split at byte {split}");
            if (TwoHalfScan.Scan(_log, "log", split, _ => { }, _ => true)) agreed++;
        }
        // The halves must really be used: a scan that always read to the end would pass the equality alone.
        Assert.That(agreed, Is.GreaterThan(splits.Count * 9 / 10), $"the halves agreed at {agreed} of {splits.Count} splits");
    }

    [Test]
    public void ASplitPastTheLastLineIsOneScan()
    {
        var last = new FileInfo(_log).Length - 1;
        Assert.That(TwoHalfScan.Scan(_log, "log", last, _ => { }, _ => true), Is.False);
        Assert.That(Json(SavedLog.Classify(_log, Suppress, last)), Is.EqualTo(Json(SavedLog.Classify(_log, Suppress, null))));
    }

    [Test]
    public void ABigLogSplitInsideALineLongerThanTheBufferGivesWhatOneScanGives()
    {
        // 1.5 corpus logs, a 10 MB line the middle falls in (cut, its tail dropped), 1.5 corpus logs: over MinBytes.
        var corpus = File.ReadAllBytes(_log);
        var big = Path.Combine(Path.GetTempPath(), $"ks-two-halves-big-{Environment.ProcessId}.log");
        try
        {
            using (var output = File.Create(big))
            {
                output.Write(corpus);
                output.Write(corpus.AsSpan(0, corpus.Length / 2));
                output.Write("[ 9.0] junk "u8);
                output.Write(Enumerable.Repeat((byte)'A', 10 << 20).ToArray());
                output.Write("\n"u8);
                output.Write(corpus.AsSpan(corpus.Length / 2));
                output.Write(corpus);
            }
            var split = TwoHalfScan.SplitPoint(big);
            Assert.That(split, Is.Not.Null, "a log over MinBytes is split by default");
            Assert.That(TwoHalfScan.Scan(big, "log", split!.Value, _ => { }, _ => true), Is.True, "the halves agree after the long line");
            Assert.That(Json(SavedLog.Classify(big, Suppress)), Is.EqualTo(Json(SavedLog.Classify(big, Suppress, null))));
        }
        finally
        {
            File.Delete(big);
        }
    }

    [Test]
    public void SmallLogsAreScannedOnce() => Assert.That(TwoHalfScan.SplitPoint(_log), Is.Null, "under TwoHalfScan.MinBytes");
}
