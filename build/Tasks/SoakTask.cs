using Cake.Frosting;

namespace KernelSoak.Build.Tasks;

[TaskName("Soak")]
[IsDependentOn(typeof(HarvestTask))]
[TaskDescription("Nightly CI: build, install, boot, stress, harvest, then summary.md, results.json and junit.xml; exit 0 only when clean")]
public sealed class SoakTask : FrostingTask<BuildContext>;
