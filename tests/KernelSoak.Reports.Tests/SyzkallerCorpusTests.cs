using System.Text;
using KernelSoak.Reports;

namespace KernelSoak.Reports.Tests;

/// <summary>
/// syzkaller's own Linux report test data (the half shared in ../shared/syzkaller-reports, Apache-2.0), scored
/// as its score.sh scores the native Classify: the first report's title against TITLE/ALT, its guilty frame
/// against FRAME (or the title's last " in "), and no report where none is expected. The floors sit a little
/// under what the classifier reaches, so a change that loses reports or titles fails here.
/// </summary>
public class SyzkallerCorpusTests
{
    internal static string? DataDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared", "syzkaller-reports");
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(candidate, "score.sh"))) return Path.GetFullPath(candidate);
        }
        return null;
    }

    internal sealed record Case(string Name, string? Title, IReadOnlyList<string> Alt, string? Frame, bool Corrupted, byte[] Log);

    internal sealed record Outcome(Case Case, KernelReport? First)
    {
        public bool Exact => Case.Title is not null && First is not null && (First.Title == Case.Title || Case.Alt.Contains(First.Title));
        public string? ExpectedFrame => (Case.Frame ?? FrameOf(Case.Title)) is var f && f == "corrupted" ? null : f;
        public bool FrameOk => First is not null && Norm(First.GuiltyFunction) == Norm(ExpectedFrame);
    }

    /// <summary>A test file: header lines up to the first blank line, then the log up to a "REPORT:" after a blank line (\r dropped).</summary>
    internal static Case Parse(string path)
    {
        var data = File.ReadAllBytes(path).Where(b => b != '\r').ToArray();
        var lines = new List<byte[]>();
        for (int start = 0, i; start < data.Length; start = i + 1)
        {
            i = Array.IndexOf(data, (byte)'\n', start);
            if (i < 0) i = data.Length;
            lines.Add(data[start..i]);
        }
        string? title = null, frame = null;
        var alt = new List<string>();
        var corrupted = false;
        var at = 0;
        for (; at < lines.Count && lines[at].Length > 0; at++)
        {
            var line = Encoding.UTF8.GetString(lines[at]);
            if (line.StartsWith("TITLE: ", StringComparison.Ordinal) && line.Length > 7) title = line[7..];
            if (line.StartsWith("ALT: ", StringComparison.Ordinal)) alt.Add(line[5..]);
            if (line.StartsWith("FRAME: ", StringComparison.Ordinal)) frame = line[7..];
            if (line.StartsWith("CORRUPTED: Y", StringComparison.Ordinal)) corrupted = true;
        }
        var log = new List<byte>();
        var previousEmpty = false;
        foreach (var line in lines.Skip(at + 1))
        {
            if (previousEmpty && line.AsSpan().SequenceEqual("REPORT:"u8)) break;
            log.AddRange(line);
            log.Add((byte)'\n');
            previousEmpty = line.Length == 0;
        }
        return new Case(Path.GetFileName(path), title, alt, frame, corrupted, [.. log]);
    }

    private static string? FrameOf(string? title) =>
        title is null || !title.Contains(" in ", StringComparison.Ordinal) ? null : title[(title.LastIndexOf(" in ", StringComparison.Ordinal) + 4)..].Split(" / ")[0].Split(' ')[0].Trim();

    private static string? Norm(string? frame) =>
        frame is null ? null : System.Text.RegularExpressions.Regex.Replace(frame, @"(\.(constprop|isra|part|cold|llvm)(\.(\d+|NUM))?)+$", "");

    /// <summary>The first report as Classify prints it: the scanner over the bytes, the first distinct title.</summary>
    internal static Outcome Run(Case c)
    {
        KernelReport? first = null;
        ReportScanner.Scan(new MemoryStream(c.Log), c.Name, r => first ??= r);
        return new Outcome(c, first);
    }

    [Test]
    public void Syzkaller_report_corpus_stays_above_its_floors()
    {
        var dir = DataDir();
        if (dir is null)
        {
            Assert.Ignore("../shared/syzkaller-reports is not here");
            return;
        }
        var outcomes = Directory.GetFiles(dir).Where(f => Path.GetFileName(f).All(char.IsAsciiDigit))
            .OrderBy(f => int.Parse(Path.GetFileName(f))).Select(Parse).Select(Run).ToList();
        var expected = outcomes.Where(o => o.Case.Title is not null).ToList();
        var clean = expected.Where(o => !o.Case.Corrupted).ToList();
        var framed = expected.Where(o => o.ExpectedFrame is not null).ToList();
        double Rate(IEnumerable<Outcome> all, Func<Outcome, bool> ok) => all.Count() is var n && n == 0 ? 1 : all.Count(ok) / (double)n;
        var (detected, exact, exactClean, frame) = (Rate(expected, o => o.First is not null), Rate(expected, o => o.Exact), Rate(clean, o => o.Exact), Rate(framed, o => o.FrameOk));
        var falseReports = outcomes.Count(o => o.Case.Title is null && o.First is not null);
        TestContext.Out.WriteLine($"detected {detected:P1}, exact {exact:P1}, exact (not corrupted) {exactClean:P1}, frame {frame:P1}, false reports {falseReports}");
        foreach (var o in expected.Where(o => !o.Exact))
            TestContext.Out.WriteLine($"  [{o.Case.Name}] exp {o.Case.Title} | got {o.First?.Title ?? "-"} | frame {o.First?.GuiltyFunction} vs {o.ExpectedFrame}");
        Assert.Multiple(() =>
        {
            Assert.That(detected, Is.GreaterThanOrEqualTo(Floors.Detected), "reports detected");
            Assert.That(exact, Is.GreaterThanOrEqualTo(Floors.Exact), "exact title (TITLE or ALT)");
            Assert.That(exactClean, Is.GreaterThanOrEqualTo(Floors.ExactClean), "exact title, files not marked corrupted");
            Assert.That(frame, Is.GreaterThanOrEqualTo(Floors.Frame), "guilty frame");
            Assert.That(falseReports, Is.LessThanOrEqualTo(Floors.FalseReports), "reports in logs with none");
        });
    }

    /// <summary>A little under what the classifier reaches on the shared half (bench/RESULTS.md has the numbers).</summary>
    private static class Floors
    {
        // Reached (2026-12-01): detected 100 %, exact 99.4 %, exact on files not marked corrupted 99.3 %, frame 98.6 %, 0 false.
        public const double Detected = 0.99, Exact = 0.97, ExactClean = 0.97, Frame = 0.96;
        public const int FalseReports = 1;
    }
}
