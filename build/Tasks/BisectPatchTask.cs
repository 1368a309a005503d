using Cake.Frosting;
using KernelSoak.Frosting;
using KernelSoak.Build.Plans;
using KernelSoak.Campaigns;
using KernelSoak.Kernel;
using KernelSoak.Series;

namespace KernelSoak.Build.Tasks;

/// <summary>Bisect&lt;NNNN&gt;: probes base + patches up to NNNN; a kernel that does not build is the patch's verdict, not a crash of the run.</summary>
public sealed class BisectPatchTask(PatchRef patch) : AsyncFrostingTask<BuildContext>
{
    public override Task RunAsync(BuildContext context) => ProbeAsync(context, patch);

    public static async Task ProbeAsync(BuildContext context, PatchRef patch, ProbeNext? next = null)
    {
        var retries = context.Campaign.Series.InfraRetries;
        for (var retry = 0; ; retry++)
        {
            try
            {
                await context.RunStepsAsync(BisectPlan.Steps(context, patch, next));
                return;
            }
            catch (KernelBuildException e) when (!context.Cancellation.IsCancellationRequested) // make killed by Ctrl+C is no build failure
            {
                throw BisectPlan.BuildFailed(context, patch, e);
            }
            catch (Exception e) when (InfraTrouble.Is(e) && !context.Cancellation.IsCancellationRequested)
            {
                BisectPlan.NoteInfraError(context, patch.Id, e);
                if (retry >= retries)
                    throw new UserErrorException($"patch {patch.Id}: infra-error, not a verdict ({e.Message}). " +
                        $"The probe was tried {retry + 1} time(s); fix the setup and re-run the same command: finished steps are kept.", e);
                // The steps that finished are in the journal: the retry resumes at the one that failed.
                context.Output.Warn($"infra-error in the probe of {patch.Id} ({e.Message}): not the patch's fault; retrying the probe ({retry + 1}/{retries})");
                context.DropBoardSession();
            }
        }
    }
}
