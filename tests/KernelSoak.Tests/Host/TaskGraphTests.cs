using Cake.Frosting;
using KernelSoak.Frosting;
using KernelSoak.Build;
using KernelSoak.Build.Tasks;

namespace KernelSoak.Tests.Host;

public class TaskGraphTests
{
    private static TaskGraph GraphFor(string campaign)
    {
        var args = HostArguments.Parse([$"--campaign={Path.Combine(Repo.Root, "campaigns", campaign)}"]);
        BuildSetup.Load(args, Repo.Root, new Dictionary<string, string>());
        var fixedTasks = typeof(BuildContext).Assembly.GetTypes()
            .Where(t => t.GetCustomAttributes(typeof(TaskNameAttribute), false).Length > 0)
            .Select(TaskDescriptor.FromType);
        return new TaskGraph(fixedTasks.Concat(BisectTasks.FromCampaign(args)));
    }

    [Test]
    public void Bisect_targets_come_from_the_series_each_on_the_one_before()
    {
        var g = GraphFor("iter6-v3.toml");
        Assert.That(g.DependenciesOf("Bisect0004"), Is.EqualTo(new[] { "Baseline" }));
        Assert.That(g.DependenciesOf("Bisect0005"), Is.EqualTo(new[] { "Bisect0004" }));
        Assert.That(g.DependenciesOf("Bisect0007-v2"), Is.EqualTo(new[] { "Bisect0006" }));
        Assert.That(g.DependenciesOf("Bisect"), Is.EqualTo(new[] { "Bisect0007-v2" }));
    }

    [Test]
    public void The_graph_follows_the_design_card()
    {
        var g = GraphFor("iter6-v3.toml");
        Assert.That(g.DependenciesOf("ConfigureKernel"), Is.EqualTo(new[] { "Preflight" }));
        Assert.That(g.DependenciesOf("CompileKernel"), Is.EqualTo(new[] { "ConfigureKernel" }));
        Assert.That(g.DependenciesOf("InstallKernel"), Is.EqualTo(new[] { "CompileKernel" }));
        Assert.That(g.DependenciesOf("Harvest"), Is.EqualTo(new[] { "Stress" }));
        Assert.That(g.DependenciesOf("Soak"), Is.EqualTo(new[] { "Harvest" }));
        var tree = string.Join("\n", g.RenderTree("Bisect0005"));
        Assert.That(tree, Is.EqualTo("""
            Bisect0005
            └── Bisect0004
                └── Baseline
                    └── InstallKernel
                        └── CompileKernel
                            └── ConfigureKernel
                                └── Preflight
                                    └── BoardUp
            """));
    }

    [Test]
    public void A_dependency_on_a_missing_task_is_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new TaskGraph([
            new TaskDescriptor("A", "", ["B"], [], false, () => throw new InvalidOperationException())]));
        Assert.That(e!.Message, Does.Contain("'B', which is not a task"));
    }
}
