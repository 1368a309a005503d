using System.Text.Json;
using KernelSoak.Reports;
using KernelSoak.Soak;
using KernelSoak.Steps;

namespace KernelSoak.Build.Plans;

/// <summary>Collect everything a crash leaves behind; erase pstore only after the copies verify; classify pstore too.</summary>
public static class HarvestPlan
{
    public static IEnumerable<Step> Steps(BuildContext c, string prefix, bool everyRun = false)
    {
        var b = c.Board;
        var dir = StressPlan.ProbeDir(c, prefix);
        yield return new Step($"{prefix}/harvest", "pstore (copied, hash-checked, then erased), dmesg, journal of the previous boot, cmdline, iomem, running config; pstore classified",
            StressPlan.ProbeFingerprint(c),
            [$"{b.Ssh("cat /sys/fs/pstore/<each record>")} > {dir}/pstore/sys/fs/pstore/<record> (the board's path, never over an existing file)", b.Ssh("sha256sum /sys/fs/pstore/<record>; rm /sys/fs/pstore/<record> once the host copy's sha256 matches"),
             $"{b.Ssh("dmesg")} > {dir}/dmesg.txt", $"{b.Ssh("journalctl -k -b -1 --no-pager")} > {dir}/journal-previous-boot.txt",
             $"{b.Ssh("cat /proc/cmdline /proc/iomem; zcat /proc/config.gz")} > {dir}/…"],
            async ct =>
            {
                var files = await Harvester.HarvestAsync(await c.BoardAsync(), dir, ct);
                var probePath = Path.Combine(dir, "probe.json");
                var probe = File.Exists(probePath) ? JsonSerializer.Deserialize<ProbeOutcome>(await File.ReadAllTextAsync(probePath, ct), StressPlan.Json) : null;
                var known = probe?.Reports.Concat(probe.PreExisting).Concat(probe.Suppressed).Select(r => r.Title).ToHashSet() ?? [];
                var book = new ReportBook(c.Campaign.Monitor.Suppress);
                foreach (var record in files.Where(f => f.RemotePath.Contains("pstore", StringComparison.Ordinal)))
                    foreach (var report in ReportClassifier.Classify(File.ReadLines(record.LocalPath), "pstore"))
                        book.Add(report);
                var fromPstore = book.Reports.Where(e => !known.Contains(e.First.Title))
                    .Select(e => new ReportSummary(e.First.ClassName, e.First.Title, e.First.GuiltyFunction, "pstore", e.Count, e.First.FirstLine, e.First.Text)).ToList();
                foreach (var r in fromPstore) c.Output.Info($"REPORT (pstore) {r.Class}: {r.Title}");
                // A report pstore also holds keeps its first text but names pstore among the channels that caught it.
                var inPstore = book.Reports.Select(e => e.First.Title).ToHashSet();
                var reports = (probe?.Reports ?? []).Select(r => inPstore.Contains(r.Title) && !r.Source.Contains("pstore", StringComparison.Ordinal) ? r with { Source = r.Source + ",pstore" } : r)
                    .Concat(fromPstore).ToList();
                // A boot panic in pstore explains a no-boot; it does not turn it into a report.
                var verdict = probe?.Verdict == Verdicts.NoBoot ? Verdicts.NoBoot : reports.Count > 0 ? Verdicts.Report : probe?.Verdict ?? Verdicts.Clean;
                var final = (probe ?? new ProbeOutcome(verdict, [], [], [], [], null, 0)) with { Verdict = verdict, Reports = reports };
                await File.WriteAllTextAsync(Path.Combine(dir, "verdict.json"), JsonSerializer.Serialize(final, StressPlan.Json), ct);
                c.Output.Info($"harvested {files.Count} file(s) into {dir} ({files.Count(f => f.Erased)} pstore record(s) erased after verification); verdict {verdict}");
                return StepResult.Ok(new Dictionary<string, string> { ["verdict"] = verdict, ["dir"] = dir });
            }) { AlwaysRun = everyRun };
    }

    public static ProbeOutcome? Verdict(BuildContext c, string prefix)
    {
        var path = Path.Combine(StressPlan.ProbeDir(c, prefix), "verdict.json");
        return File.Exists(path) ? JsonSerializer.Deserialize<ProbeOutcome>(File.ReadAllText(path), StressPlan.Json) : null;
    }
}
