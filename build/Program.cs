using Cake.Frosting;
using KernelSoak.Frosting;
using KernelSoak.Build;
using KernelSoak.Build.Tasks;

// Classifying a saved log needs none of the engine: answered directly, it starts several times faster.
if (ClassifyCommand.TryRun(args) is { } classified) return classified;

// The table of contents: a Frosting host, the build context, the task classes of this assembly,
// and one Bisect<NNNN> task per patch of the campaign's series.
return new CakeHost<BuildContext>()
    .UseToolName("./build.sh")
    .UseContext(BuildContext.Create)
    .UseLifetime(context => new BuildLifetime())
    .UseDefaultTarget("Default")
    .UseConfigurationDirectory(RepositoryRoot.Find)
    .AddAssembly(typeof(BuildContext).Assembly)
    .AddTasks(BisectTasks.FromCampaign)
    .Run(args);
