using Cake.Frosting;

namespace KernelSoak.Build.Tasks;

[TaskName("Default")]
[IsDependentOn(typeof(SoakTask))]
[TaskDescription("What ./build.sh runs without --target: the campaign's soak on the configured board (the emulated one unless cake.config names another)")]
public sealed class DefaultTask : FrostingTask<BuildContext>;
