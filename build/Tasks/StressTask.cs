using Cake.Frosting;
using KernelSoak.Build.Plans;

namespace KernelSoak.Build.Tasks;

[TaskName("Stress")]
[IsDependentOn(typeof(InstallKernelTask))]
[TaskDescription("Boots the installed test kernel and runs the campaign's stress profiles while the monitor watches for reports and wedges")]
public sealed class StressTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        // Harvest runs after this whatever happens: a failure here is kept for it to rethrow.
        try
        {
            await context.RunStepsAsync(ProbeSteps.For(context).Window(context, "soak", everyRun: true));
        }
        catch (Exception e) when (!context.DryRun && !context.Cancellation.IsCancellationRequested) // Ctrl+C stops the run, harvest included
        {
            context.Output.Warn($"stress did not complete ({e.Message}); harvesting anyway");
            context.PendingFailure = e;
        }
    }
}
