using KernelSoak.Reports;

namespace KernelSoak.Reports.Tests;

public class ClassifierTests
{
    private static string Case(string arch, string name, string file = "dmesg.txt") =>
        Path.Combine(TestContext.CurrentContext.TestDirectory, "testdata", "corpus", arch, name, file);

    [TestCase("<4>[   12.345678] BUG: KASAN: use-after-free in f+0x1/0x2", "BUG: KASAN: use-after-free in f+0x1/0x2", 12.345678)]
    [TestCase("6,1234,5678901,-;WARNING: CPU: 0 PID: 1 at x.c:1 f+0x1/0x2", "WARNING: CPU: 0 PID: 1 at x.c:1 f+0x1/0x2", 5.678901)]
    [TestCase("[ 1234.567890] board kernel: list_add corruption.", "list_add corruption.", 1234.56789)]
    [TestCase("[    3.000001] [T70] ODEBUG: free active", "ODEBUG: free active", 3.000001)]
    [TestCase("plain line", "plain line", null)]
    public void Log_line_decorations_are_removed(string raw, string text, double? time)
    {
        var line = LogLine.Parse(raw);
        Assert.That(line.Text, Is.EqualTo(text));
        Assert.That(line.Timestamp, Is.EqualTo(time).Within(1e-6));
    }

    [Test]
    public void Streaming_line_by_line_with_flush_gives_the_same_reports_as_a_whole_file()
    {
        var lines = File.ReadAllLines(Case("arm64-6.1", "12-lkdtm_READ_AFTER_FREE", "console.txt"));
        var whole = ReportClassifier.Classify(lines, "serial");
        var streaming = new ReportClassifier("serial");
        var seen = new List<KernelReport>();
        foreach (var line in lines) seen.AddRange(streaming.Feed(line));
        seen.AddRange(streaming.Flush());
        Assert.That(seen.Select(r => r.Title), Is.EqualTo(whole.Select(r => r.Title)));
        Assert.That(whole[0].Lines, Has.Count.GreaterThan(20), "the full report text is kept");
        Assert.That(whole[0].Text, Does.Contain("Call trace:"));
    }

    [Test]
    public void A_report_is_emitted_as_soon_as_its_end_marker_arrives()
    {
        var c = new ReportClassifier("ssh");
        var lines = File.ReadAllLines(Case("arm64-6.1", "19-lkdtm_WARNING"));
        var end = Array.FindIndex(lines, l => l.Contains("---[ end trace", StringComparison.Ordinal));
        Assert.That(end, Is.GreaterThan(0));
        for (var i = 0; i < end; i++) Assert.That(c.Feed(lines[i]), Is.Empty, $"line {i} closes nothing");
        Assert.That(c.Feed(lines[end]).Single().Title, Is.EqualTo("WARNING in lkdtm_WARNING"));
    }

    [Test]
    public void Reports_interleaved_with_noise_are_all_found()
    {
        // Two real reports with bootloader, dropbear and unrelated kernel lines between and around them.
        var noise = new[] { "U-Boot 2023.01+dfsg-2+deb12u1 (Nov 10 2025)", "[65] Nov 26 08:58:36 Exit before auth from <10.0.2.2:41054>", "[   20.000000] random: crng init done" };
        var a = File.ReadAllLines(Case("arm64-6.1", "17-lkdtm_CORRUPT_LIST_ADD"));
        var b = File.ReadAllLines(Case("arm64-6.1", "08-corpus_kasan_oob_write"));
        var mixed = noise.Concat(a.Skip(170)).Concat(noise).Concat(b.Skip(170)).Concat(noise);
        var titles = ReportClassifier.Classify(mixed, "serial").Select(r => r.Title).ToList();
        Assert.That(titles, Does.Contain("BUG: corrupted list in lkdtm_CORRUPT_LIST_ADD"));
        Assert.That(titles, Does.Contain("KASAN: slab-out-of-bounds Write in corpus_trigger_write"));
    }

    [Test]
    public void Book_deduplicates_by_title_and_sets_noise_aside()
    {
        var book = new ReportBook(["^WARNING in lkdtm_WARNING$"]);
        var warn = ReportClassifier.Classify(File.ReadLines(Case("arm64-6.1", "19-lkdtm_WARNING")), "ssh")[0];
        var uaf = ReportClassifier.Classify(File.ReadLines(Case("arm64-6.1", "12-lkdtm_READ_AFTER_FREE")), "ssh")[0];
        Assert.That(book.Add(uaf), Is.True);
        Assert.That(book.Add(uaf with { Source = "netconsole" }), Is.False, "same title: same bug");
        Assert.That(book.Add(warn), Is.False, "suppressed noise is not news");
        Assert.That(book.Reports.Single().Count, Is.EqualTo(2));
        Assert.That(book.Reports.Single().Sources, Is.EquivalentTo(new[] { "ssh", "netconsole" }));
        Assert.That(book.Suppressed.Single().First.Title, Is.EqualTo("WARNING in lkdtm_WARNING"));
    }

    [Test]
    public void A_clean_boot_log_has_no_report()
    {
        var lines = File.ReadAllLines(Case("arm64-6.1", "12-lkdtm_READ_AFTER_FREE"));
        var boot = lines.TakeWhile(l => !l.Contains("lkdtm", StringComparison.Ordinal));
        Assert.That(ReportClassifier.Classify(boot, "ssh"), Is.Empty);
    }
}
