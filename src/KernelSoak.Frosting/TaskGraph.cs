using Cake.Frosting;
namespace KernelSoak.Frosting;

/// <summary>The registered tasks as a graph: validation and the text tree for --tree.</summary>
public sealed class TaskGraph
{
    private readonly Dictionary<string, TaskDescriptor> _tasks;

    public TaskGraph(IEnumerable<TaskDescriptor> tasks)
    {
        _tasks = new(StringComparer.OrdinalIgnoreCase);
        foreach (var t in tasks)
            if (!_tasks.TryAdd(t.Name, t))
                throw new InvalidOperationException($"two tasks are named '{t.Name}'");
        foreach (var t in _tasks.Values)
            foreach (var d in t.Dependencies.Concat(t.Dependees))
                if (!_tasks.ContainsKey(d))
                    throw new InvalidOperationException($"task '{t.Name}' names '{d}', which is not a task");
    }

    public IReadOnlyCollection<TaskDescriptor> Tasks => _tasks.Values;
    public bool Contains(string name) => _tasks.ContainsKey(name);
    public TaskDescriptor this[string name] => _tasks[name];

    /// <summary>All dependencies of a task, dependees folded in, in declaration order.</summary>
    public IReadOnlyList<string> DependenciesOf(string name)
    {
        var deps = new List<string>(_tasks[name].Dependencies);
        deps.AddRange(_tasks.Values.Where(t => t.Dependees.Contains(name, StringComparer.OrdinalIgnoreCase)).Select(t => t.Name));
        return deps;
    }

    /// <summary>Tasks nothing depends on: the tops of the trees.</summary>
    public IEnumerable<string> Roots()
    {
        var used = _tasks.Keys.SelectMany(DependenciesOf).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return _tasks.Keys.Where(k => !used.Contains(k));
    }

    public IEnumerable<string> RenderTree(string? target = null)
    {
        foreach (var root in target is null ? Roots() : [target])
            foreach (var line in Render(root, "", true, true))
                yield return line;
    }

    private IEnumerable<string> Render(string name, string indent, bool last, bool top)
    {
        yield return top ? name : indent + (last ? "└── " : "├── ") + name;
        var deps = DependenciesOf(name);
        var childIndent = top ? "" : indent + (last ? "    " : "│   ");
        for (var i = 0; i < deps.Count; i++)
            foreach (var line in Render(deps[i], childIndent, i == deps.Count - 1, false))
                yield return line;
    }
}
