namespace KernelSoak.Frosting;

/// <summary>What --help, --description and --tree print: the graph only, no context, nothing run.</summary>
internal sealed class HostHelp(HostConsole console, string toolName, string defaultTarget)
{
    public int Write(HostArguments arguments, TaskGraph graph)
    {
        if (arguments.Help) { WriteHelp(graph); return 0; }
        if (arguments.Description) { WriteDescriptions(graph); return 0; }
        var target = arguments.Target;
        if (target is not null && !graph.Contains(target)) return UnknownTarget(console, graph, target);
        foreach (var line in graph.RenderTree(target)) console.WriteLine(line);
        return 0;
    }

    public static int UnknownTarget(HostConsole console, TaskGraph graph, string target)
    {
        var known = string.Join(", ", graph.Tasks.Select(t => t.Name).Order(StringComparer.Ordinal));
        console.WriteErrorLine($"error: unknown target '{target}'. Targets: {known}");
        return 2;
    }

    private void WriteDescriptions(TaskGraph graph)
    {
        var width = graph.Tasks.Max(t => t.Name.Length) + 2;
        console.WriteLine("Task".PadRight(width) + "Description");
        console.WriteLine(new string('=', width + 60));
        foreach (var t in graph.Tasks) console.WriteLine(t.Name.PadRight(width) + t.Description);
    }

    private void WriteHelp(TaskGraph graph)
    {
        console.WriteLine($"""
            Usage: {toolName} [options] [--name=value ...]

            Options:
              -t, --target=NAME     task to run (default: {defaultTarget})
              -v, --verbosity=LEVEL quiet, minimal, normal, verbose, diagnostic
                  --dryrun          print every step and exact command; change nothing
              -e, --exclusive       run the target alone, without its dependencies
                  --tree            print the task graph (of --target, or all of it)
                  --description     list the tasks with their descriptions
                  --help            this text
                  --version         KernelSoak's and Cake.Core's versions
              --name=value          a setting or argument (e.g. --board-host=10.0.0.5)

            Targets: {string.Join(", ", graph.Tasks.Select(t => t.Name))}
            """);
    }
}
