using System.Reflection;
using Cake.Frosting;
using KernelSoak.Build;

namespace KernelSoak.Tests.Host;

/// <summary>
/// Namespace Cake.Frosting in our host holds only what the real package has (cake-build/cake, src/Cake.Frosting, as of Cake 6/7),
/// so build/'s tasks compile against it unchanged the day it is served. Our extras belong to KernelSoak.Frosting.
/// </summary>
public class FrostingSurfaceTests
{
    /// <summary>The real package's public types we mirror, each with the public members it declares.</summary>
    private static readonly Dictionary<string, string[]> Real = new()
    {
        ["IFrostingTask"] = ["RunAsync", "ShouldRun", "OnError", "Finally"],
        ["AsyncFrostingTask`1"] = ["RunAsync", "ShouldRun", "OnError", "Finally"],
        ["FrostingTask`1"] = ["Run", "ShouldRun", "OnError", "Finally"],
        ["FrostingTask"] = [],
        ["IFrostingContext"] = [],
        ["FrostingContext"] = [],
        ["IFrostingSetup"] = ["Setup"],
        ["IFrostingTeardown"] = ["Teardown"],
        ["IFrostingLifetime"] = [],
        ["FrostingLifetime`1"] = ["Setup", "Teardown"],
        ["TaskNameAttribute"] = ["Name"],
        ["TaskDescriptionAttribute"] = ["Description"],
        ["IsDependentOnAttribute"] = ["Task"],
        ["IsDependeeOfAttribute"] = ["Task"],
        ["ContinueOnErrorAttribute"] = [],
    };

    private static IEnumerable<Type> OursIn(string ns) =>
        typeof(FrostingContext).Assembly.GetExportedTypes().Where(t => t.Namespace == ns);

    [Test]
    public void Namespace_Cake_Frosting_declares_only_the_real_packages_types()
    {
        var extra = OursIn("Cake.Frosting").Select(t => t.Name).Except(Real.Keys).ToList();
        Assert.That(extra, Is.Empty, "move these to KernelSoak.Frosting: the real Cake.Frosting has no such type");
    }

    [Test]
    public void Each_mirrored_type_has_only_the_real_packages_members()
    {
        foreach (var type in OursIn("Cake.Frosting").Where(t => Real.ContainsKey(t.Name)))
        {
            var members = type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => m is not ConstructorInfo && !(m is MethodInfo { IsSpecialName: true }))
                .Select(m => m.Name).Distinct();
            Assert.That(members.Except(Real[type.Name]), Is.Empty, $"{type.Name} has members Cake.Frosting's lacks");
        }
    }

    [Test]
    public void The_tasks_of_build_derive_from_the_real_packages_bases()
    {
        var tasks = typeof(BuildContext).Assembly.GetTypes().Where(t => typeof(IFrostingTask).IsAssignableFrom(t) && !t.IsAbstract).ToList();
        Assert.That(tasks, Is.Not.Empty);
        foreach (var task in tasks)
        {
            var root = task.BaseType;
            while (root is not null && root.Namespace != "Cake.Frosting") root = root.BaseType;
            Assert.That(root is not null && Real.ContainsKey(root.Name), Is.True, $"{task.Name} derives from {root?.Name ?? "no Cake.Frosting base"}");
        }
    }
}
