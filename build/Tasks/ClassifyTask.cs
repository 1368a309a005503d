using Cake.Frosting;
using KernelSoak.Steps;

namespace KernelSoak.Build.Tasks;

[TaskName("Classify")]
[TaskDescription("Splits a saved kernel log or console capture (--log=FILE) into reports with class, title and guilty frame (--format=json)")]
public sealed class ClassifyTask : AsyncFrostingTask<BuildContext>
{
    public override Task RunAsync(BuildContext context) => context.RunStepsAsync([
        Step.Pending("classify", $"classify {context.Argument("log") ?? "<--log=FILE>"}", "report classifier (issue: Stress + live monitor + Harvest)"),
    ]);
}
