using Cake.Frosting;
using KernelSoak.Frosting;
using KernelSoak.Build.Plans;
using KernelSoak.Campaigns;
using KernelSoak.Probes;
using KernelSoak.Series;

namespace KernelSoak.Build.Tasks;

/// <summary>Bisect&lt;NNNN&gt;: probes base + patches up to NNNN through the series' <see cref="ProbeLifecycle"/>.</summary>
public sealed class BisectPatchTask(PatchRef patch) : AsyncFrostingTask<BuildContext>
{
    public override Task RunAsync(BuildContext context) => ProbeAsync(context, patch);

    public static async Task ProbeAsync(BuildContext context, PatchRef patch, ProbeNext? next = null)
    {
        try
        {
            await BisectPlan.Lifecycle(context).RunAsync(patch, BisectPlan.Baseline(context), next, context.RunStepsAsync,
                InfraTrouble.Is, context.DropBoardSession, context.Cancellation);
        }
        catch (ProbeStoppedException e)
        {
            // An untestable point (recorded) or the lab's failure: one clear line, the run goes on as the campaign says.
            throw new UserErrorException(e.Message, e.InnerException);
        }
    }
}
