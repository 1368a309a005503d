using Cake.Frosting;
using KernelSoak.Build.Plans;
using KernelSoak.Series;
using KernelSoak.Soak;

namespace KernelSoak.Build.Tasks;

/// <summary>
/// The binary search: probes what <see cref="KarySearch"/> names for k boards (k = 1: the point
/// <see cref="AdaptiveSearch"/> names, one probe at a time), until it answers. Every probe is in its point's
/// record before the next round is chosen, and a round's plan is kept until it is finished, so a killed search resumes.
/// </summary>
public sealed class BisectSearchTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        var patches = context.Campaign.Series.Patches;
        var ids = patches.Select(p => p.Id).ToList();
        var hunt = HuntRule.Parse(context.Campaign.Series.Hunt);
        var policy = BisectPlan.Policy(context);
        var probes = new List<string>();
        int? boards = null;
        while (true)
        {
            var round = ProbeSteps.For(context).PendingRound(context, ids);
            if (round is null)
            {
                var evidence = patches.Select(p => PointRecords.Evidence(BisectPlan.Record(context, p), hunt)).ToList();
                boards ??= await BisectRoundPlan.BoardsAsync(context);
                var decisions = KarySearch.Round(ids, evidence, policy, boards.Value);
                if (decisions[0] is SeriesAnswer answer)
                {
                    BisectSearchPlan.Answer(context, answer, probes);
                    return;
                }
                foreach (var decision in decisions.DistinctBy(d => d.Why)) context.Output.Info($"binary search: {decision.Why}");
                if (boards == 1)
                {
                    var next = (ProbeNext)decisions[0];
                    probes.Add(ids[next.Index]);
                    if (!await BisectSearchPlan.ProbeOneAsync(context, patches[next.Index], next)) return;
                    continue;
                }
                round = BisectRoundPlan.Plan(context, ids, decisions.Cast<ProbeNext>());
            }
            else context.Output.Info($"binary search: resuming the round a previous run left unfinished ({string.Join(", ", round.Select(p => p.Patch))})");
            probes.Add(round.Count == 1 ? round[0].Patch : $"[{string.Join(" ", round.Select(p => p.Patch))}]");
            await BisectRoundPlan.RunAsync(context, round);
            if (context.DryRun)
            {
                context.Output.Info("(dry run: the next round depends on this one's verdicts)");
                return;
            }
        }
    }
}
