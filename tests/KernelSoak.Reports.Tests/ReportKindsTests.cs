using KernelSoak.Reports;
using KernelSoak.Reports.Formats;

namespace KernelSoak.Reports.Tests;

/// <summary>The report-kind table: every report type has a row, and every row's patterns are valid.</summary>
public class ReportKindsTests
{
    [Test]
    public void Every_report_type_has_a_row()
    {
        var named = ReportKinds.All.Select(k => k.Class).Concat(ReportKinds.All.SelectMany(k => k.Formats).Select(f => f.Class).OfType<ReportClass>()).ToHashSet();
        Assert.That(Enum.GetValues<ReportClass>().Where(c => !named.Contains(c)), Is.Empty, "report types no row or format produces");
    }

    [Test]
    public void Every_pattern_compiles_and_every_template_formats()
    {
        foreach (var kind in ReportKinds.All)
        {
            Assert.That(kind.Opens("no header here"), Is.False, kind.Header);
            foreach (var format in kind.Formats)
            {
                foreach (var pattern in new[] { format.Title, format.Report }.OfType<string>()
                             .Concat(format.Stack?.Parts ?? []).Concat(format.Stack?.Parts2 ?? []).Where(p => p != Pattern.ParseStack))
                    Assert.DoesNotThrow(() => Pattern.Compile(pattern), $"{kind.Header}: {pattern}");
                Assert.DoesNotThrow(() => string.Format(format.Template, Enumerable.Repeat((object)"x", 8).ToArray()), format.Template);
            }
        }
    }

    [TestCase("[  560.710000][ T1194] WARNING: CPU: 1 PID: 1194 at net/core/dev.c:100 dev_close+0x10/0x20", "T1194")]
    [TestCase("[  560.710000][T70] WARNING: x", "T70")]
    [TestCase("[  560.710000][    C1] rcu: INFO: x", "C1")]
    [TestCase("[  560.710000] WARNING: x", "console")]
    [TestCase("syzkaller login: [  560.710000] INFO: x", "console")]
    [TestCase("\0\0[  560.710000] BUG: x", "console")]
    [TestCase("WARNING: x", "")]
    public void A_line_says_who_printed_it(string raw, string caller)
    {
        var (start, _, _) = LogLine.Locate(raw, out var context);
        Assert.That(context.Of(raw), Is.EqualTo(caller));
        Assert.That(raw[start..], Does.StartWith("WARNING: x").Or.StartWith("WARNING: CPU").Or.StartWith("rcu: INFO").Or.StartWith("INFO: x").Or.StartWith("BUG: x"));
    }
}
