using Cake.Frosting;
using KernelSoak.Build.Plans;

namespace KernelSoak.Build.Tasks;

[TaskName("Harvest")]
[IsDependentOn(typeof(StressTask))]
[TaskDescription("Collects pstore, kernel logs, cmdline, iomem and the running config into artifacts/ and classifies what pstore kept (runs after any Stress failure too)")]
public sealed class HarvestTask : AsyncFrostingTask<BuildContext>
{
    public override async Task RunAsync(BuildContext context)
    {
        try
        {
            await context.RunStepsAsync(ProbeSteps.For(context).Harvest(context, "soak", everyRun: true));
        }
        catch (Exception e) when (context.PendingFailure is not null && !context.Cancellation.IsCancellationRequested)
        {
            context.Output.Warn($"harvest failed too: {e.Message}");
        }
        if (context.PendingFailure is { } failure) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }
}
