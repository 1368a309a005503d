using Cake.Frosting;
using KernelSoak.Frosting;
using KernelSoak.Build.Plans;
using KernelSoak.Campaigns;
using KernelSoak.Kernel;
using KernelSoak.Series;
using KernelSoak.Steps;

namespace KernelSoak.Build.Tasks;

/// <summary>Bisect&lt;NNNN&gt;: probes base + patches up to NNNN; a kernel that does not build is the patch's verdict, not a crash of the run.</summary>
public sealed class BisectPatchTask(PatchRef patch) : AsyncFrostingTask<BuildContext>
{
    public override Task RunAsync(BuildContext context) => ProbeAsync(context, patch);

    public static async Task ProbeAsync(BuildContext context, PatchRef patch, ProbeNext? next = null)
    {
        var retries = context.Campaign.Series.InfraRetries;
        try
        {
            await ProbeAttempts.RunAsync(() => context.RunStepsAsync(BisectPlan.Steps(context, patch, next)), retries, InfraTrouble.Is, (e, attempt, retry) =>
            {
                BisectPlan.NoteInfraError(context, patch.Id, e);
                if (!retry) return;
                // The steps that finished are in the journal: the retry resumes at the one that failed.
                context.Output.Warn($"infra-error in the probe of {patch.Id} ({e.Message}): not the patch's fault; retrying the probe ({attempt}/{retries})");
                context.DropBoardSession();
            }, context.Cancellation);
        }
        catch (KernelBuildException e) when (!context.Cancellation.IsCancellationRequested) // make killed by Ctrl+C is no build failure
        {
            throw BisectPlan.BuildFailed(context, patch, e);
        }
        catch (InfraRetriesExhaustedException e)
        {
            throw new UserErrorException($"patch {patch.Id}: infra-error, not a verdict ({e.InnerException!.Message}). " +
                $"The probe was tried {e.Attempts} time(s); fix the setup and re-run the same command: finished steps are kept.", e.InnerException);
        }
    }
}
