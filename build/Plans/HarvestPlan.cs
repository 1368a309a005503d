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
            [.. HarvestCommands.Announced(HarvestSources.Board, dir, b.Ssh)],
            async ct =>
            {
                var files = await Harvester.HarvestAsync(await c.BoardAsync(), dir, ct);
                var probe = new ProbeFiles(dir);
                var (final, fromPstore) = HarvestVerdict.Combine(probe.Window(), HarvestVerdict.PstoreBook(files, c.Campaign.Monitor.Suppress));
                foreach (var r in fromPstore) c.Output.Info($"REPORT (pstore) {r.Class}: {r.Title}");
                await probe.WriteVerdictAsync(final, ct);
                c.Output.Info($"harvested {files.Count} file(s) into {dir} ({files.Count(f => f.Erased)} pstore record(s) erased after verification); verdict {final.Verdict}");
                return StepResult.Ok(probe.VerdictOutputs(final.Verdict));
            }) { AlwaysRun = everyRun };
    }

    public static ProbeOutcome? Verdict(BuildContext c, string prefix) => new ProbeFiles(StressPlan.ProbeDir(c, prefix)).Verdict();
}
