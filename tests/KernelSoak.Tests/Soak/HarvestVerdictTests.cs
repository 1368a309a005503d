using KernelSoak.Reports;
using KernelSoak.Soak;

namespace KernelSoak.Tests.Soak;

/// <summary>The final verdict once pstore is read: pstore adds reports and its name, and never turns a no-boot into a report.</summary>
public class HarvestVerdictTests
{
    private static readonly string[] Panic =
    [
        "[   20.100000] Kernel panic - not syncing: sysrq triggered crash",
        "[   20.100001] CPU: 0 PID: 77 Comm: sh Not tainted 6.1.0 #1",
        "[   20.100002] Call trace:",
        "[   20.100003]  panic+0x10/0x20",
        "[   20.100004]  sysrq_handle_crash+0x10/0x20",
    ];

    private static ReportBook Pstore(params string[][] logs)
    {
        var book = new ReportBook([]);
        foreach (var log in logs)
            foreach (var report in ReportClassifier.Classify(log, "pstore")) book.Add(report);
        return book;
    }

    private static string PanicTitle => Pstore(Panic).Reports.Single().First.Title;

    private static ProbeOutcome Window(string verdict, params ReportSummary[] reports) => new(verdict, reports, [], [], [], null, 30);

    [Test]
    public void A_report_only_pstore_kept_makes_a_clean_window_a_report()
    {
        var (final, fromPstore) = HarvestVerdict.Combine(Window(Verdicts.Clean), Pstore(Panic));
        Assert.Multiple(() =>
        {
            Assert.That(final.Kind, Is.EqualTo(Verdict.Report));
            Assert.That(fromPstore.Single().Source, Is.EqualTo("pstore"));
            Assert.That(final.Reports.Single().Title, Is.EqualTo(PanicTitle));
        });
    }

    [Test]
    public void A_boot_panic_in_pstore_explains_a_no_boot_and_leaves_it_one()
    {
        var (final, _) = HarvestVerdict.Combine(ProbeOutcome.NoBoot("panic at boot"), Pstore(Panic));
        Assert.Multiple(() =>
        {
            Assert.That(final.Kind, Is.EqualTo(Verdict.NoBoot));
            Assert.That(final.Note, Is.EqualTo("panic at boot"));
        });
    }

    [Test]
    public void A_report_the_window_saw_names_pstore_too_and_is_not_counted_twice()
    {
        var seen = new ReportSummary("PANIC", PanicTitle, null, "netconsole", 1, "Kernel panic", "…");
        var (final, fromPstore) = HarvestVerdict.Combine(Window(Verdicts.Report, seen), Pstore(Panic));
        Assert.Multiple(() =>
        {
            Assert.That(fromPstore, Is.Empty);
            Assert.That(final.Reports.Single().Source, Is.EqualTo("netconsole,pstore"));
            Assert.That(HarvestVerdict.Combine(final, Pstore(Panic)).Final.Reports.Single().Source, Is.EqualTo("netconsole,pstore"), "harvested again: named once");
        });
    }

    [TestCase(null, 0, Verdict.Clean)]
    [TestCase(null, 1, Verdict.Report)]
    [TestCase(Verdict.Wedge, 0, Verdict.Wedge)]
    [TestCase(Verdict.Wedge, 2, Verdict.Report)]
    [TestCase(Verdict.NoBoot, 1, Verdict.NoBoot)]
    public void Verdict_from_the_window_and_the_reports(Verdict? window, int reports, Verdict expected) =>
        Assert.That(HarvestVerdict.VerdictOf(window, reports), Is.EqualTo(expected));

    [Test]
    public void No_window_and_empty_pstore_is_clean()
    {
        var (final, _) = HarvestVerdict.Combine(null, Pstore());
        Assert.That(final.Verdict, Is.EqualTo("clean"));
    }

    [Test]
    public void Only_pstore_records_are_classified()
    {
        var dir = Directory.CreateTempSubdirectory("ks-harvest-").FullName;
        var record = Path.Combine(dir, "dmesg-ramoops-0");
        File.WriteAllLines(record, Panic);
        var book = HarvestVerdict.PstoreBook(
            [new HarvestedFile("/sys/fs/pstore/dmesg-ramoops-0", record, true), new HarvestedFile("dmesg", record, false)], []);
        Assert.That(book.Reports.Single().Sources, Is.EquivalentTo(new[] { "pstore" }));
        Assert.That(book.Reports.Single().Count, Is.EqualTo(1), "the dmesg copy of the same file is not pstore's");
        Directory.Delete(dir, true);
    }
}
