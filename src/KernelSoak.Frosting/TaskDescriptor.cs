using Cake.Frosting;
using System.Reflection;

namespace KernelSoak.Frosting;

/// <summary>One task of the graph: a Frosting task class or a task generated at run time.</summary>
public sealed record TaskDescriptor(
    string Name,
    string Description,
    IReadOnlyList<string> Dependencies,
    IReadOnlyList<string> Dependees,
    bool ContinueOnError,
    Func<IFrostingTask> Create)
{
    public static string NameOf(Type type) =>
        type.GetCustomAttribute<TaskNameAttribute>()?.Name
        ?? (type.Name.EndsWith("Task", StringComparison.Ordinal) ? type.Name[..^4] : type.Name);

    public static TaskDescriptor FromType(Type type)
    {
        if (!typeof(IFrostingTask).IsAssignableFrom(type))
            throw new ArgumentException($"{type.Name} is not a Frosting task");
        return new TaskDescriptor(
            NameOf(type),
            type.GetCustomAttribute<TaskDescriptionAttribute>()?.Description ?? "",
            type.GetCustomAttributes<IsDependentOnAttribute>().Select(a => NameOf(a.Task)).ToList(),
            type.GetCustomAttributes<IsDependeeOfAttribute>().Select(a => NameOf(a.Task)).ToList(),
            type.GetCustomAttribute<ContinueOnErrorAttribute>() is not null,
            () => (IFrostingTask)Activator.CreateInstance(type)!);
    }
}
