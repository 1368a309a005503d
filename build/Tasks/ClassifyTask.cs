using Cake.Frosting;

namespace KernelSoak.Build.Tasks;

[TaskName("Classify")]
[TaskDescription("Splits a saved kernel log or console capture (--log=FILE) into reports with class, title and guilty frame (--format=json)")]
public sealed class ClassifyTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        ClassifyCommand.Run(context.Argument("log"), context.Argument("format"), context.Campaign.Monitor.Suppress, context.Output.Info);
}
