using System.Reflection;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;

namespace KernelSoak.Frosting;

/// <summary>
/// The Frosting-shaped host: registers tasks on Cake.Core's engine, handles --tree, --description,
/// --help and runs the target with Cake's execution strategy and summary table.
/// </summary>
public sealed class CakeHost<TContext> where TContext : class, ICakeContext
{
    private readonly List<Func<HostArguments, IEnumerable<TaskDescriptor>>> _taskSources = [];
    private Func<ICakeContext, HostArguments, TContext>? _contextFactory;
    private Func<TContext, IFrostingLifetime>? _lifetime;
    private string _defaultTarget = "Default";
    private string _toolName = "build";
    private TextWriter _out = Console.Out;
    private TextWriter _err = Console.Error;
    private bool? _color;

    public CakeHost<TContext> UseContext(Func<ICakeContext, HostArguments, TContext> factory) { _contextFactory = factory; return this; }
    public CakeHost<TContext> UseLifetime(Func<TContext, IFrostingLifetime> lifetime) { _lifetime = lifetime; return this; }
    public CakeHost<TContext> UseDefaultTarget(string target) { _defaultTarget = target; return this; }
    public CakeHost<TContext> UseToolName(string name) { _toolName = name; return this; }
    public CakeHost<TContext> UseOutput(TextWriter output, TextWriter error, bool? color = null) { _out = output; _err = error; _color = color; return this; }

    /// <summary>Every concrete task class of the assembly that has a [TaskName].</summary>
    public CakeHost<TContext> AddAssembly(Assembly assembly)
    {
        var types = assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(IFrostingTask).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null
                && t.GetCustomAttribute<TaskNameAttribute>() is not null)
            .ToList();
        _taskSources.Add(_ => types.Select(TaskDescriptor.FromType));
        return this;
    }

    /// <summary>Tasks generated from the arguments (e.g. one per patch of a campaign's series).</summary>
    public CakeHost<TContext> AddTasks(Func<HostArguments, IEnumerable<TaskDescriptor>> source) { _taskSources.Add(source); return this; }

    public int Run(IReadOnlyList<string> args) => RunAsync(args).GetAwaiter().GetResult();

    public async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var console = new HostConsole(_out, _err, _color);
        HostArguments arguments;
        try
        {
            arguments = HostArguments.Parse(args);
        }
        catch (ArgumentException e)
        {
            console.WriteErrorLine($"error: {e.Message} (see --help)");
            return 2;
        }
        var log = new HostLog(console, arguments.Verbosity);
        if (arguments.Version) { WriteVersion(console); return 0; }
        TaskGraph graph;
        TContext context;
        try
        {
            var (tasks, problem) = CollectTasks(arguments);
            graph = new TaskGraph(tasks);
            // Help must work when a campaign or setting is broken: it shows the problem and what it can.
            if (problem is not null)
            {
                if (!(arguments.Help || arguments.Description || arguments.Tree)) throw problem;
                console.WriteErrorLine($"warning: {problem.Message} (the tasks it would add are not shown)");
            }
            if (arguments.Help) { WriteHelp(console, graph); return 0; }
            if (arguments.Description) { WriteDescriptions(console, graph); return 0; }
            if (arguments.Tree)
            {
                var treeTarget = arguments.Target;
                if (treeTarget is not null && !graph.Contains(treeTarget)) return UnknownTarget(console, graph, treeTarget);
                foreach (var line in graph.RenderTree(treeTarget)) console.WriteLine(line);
                return 0;
            }
            var target = arguments.Target ?? _defaultTarget;
            if (!graph.Contains(target)) return UnknownTarget(console, graph, target);
            context = (_contextFactory ?? throw new InvalidOperationException("no context factory"))(
                CakeContextFactory.Create(log, arguments), arguments);
            return await RunTargetAsync(console, log, graph, context, graph[target].Name, arguments);
        }
        catch (UserErrorException e)
        {
            console.WriteErrorLine($"error: {e.Message}");
            return 2;
        }
    }

    /// <summary>Every source's tasks; a source that fails on the user's input is reported, not fatal here.</summary>
    private (List<TaskDescriptor> Tasks, UserErrorException? Problem) CollectTasks(HostArguments arguments)
    {
        var tasks = new List<TaskDescriptor>();
        UserErrorException? problem = null;
        foreach (var source in _taskSources)
        {
            try { tasks.AddRange(source(arguments)); }
            catch (UserErrorException e) { problem ??= e; }
        }
        return (tasks, problem);
    }

    private void WriteVersion(HostConsole console)
    {
        var entry = Assembly.GetEntryAssembly() ?? typeof(CakeHost<TContext>).Assembly;
        var version = entry.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                      ?? entry.GetName().Version?.ToString() ?? "unknown";
        console.WriteLine($"KernelSoak {version} ({_toolName})");
        console.WriteLine($"Cake.Core {typeof(ICakeContext).Assembly.GetName().Version}");
    }

    private async Task<int> RunTargetAsync(HostConsole console, ICakeLog log, TaskGraph graph, TContext context, string target, HostArguments arguments)
    {
        var engine = new CakeEngine(new CakeDataService(), log);
        foreach (var descriptor in graph.Tasks) Register(engine, descriptor);
        var lifetime = _lifetime?.Invoke(context);
        if (lifetime is not null)
        {
            engine.RegisterSetupAction(info => lifetime.Setup(context, info));
            engine.RegisterTeardownAction(info => lifetime.Teardown(context, info));
        }
        var printer = new CakeReportPrinter(console, context);
        var settings = new ExecutionSettings().SetTarget(target);
        if (arguments.Exclusive) settings.UseExclusiveTarget();
        try
        {
            var report = await engine.RunTargetAsync(context, new DefaultExecutionStrategy(log, printer), settings);
            // Quiet means machine-readable output only (e.g. Classify --format=json).
            if (arguments.Verbosity > Verbosity.Quiet) printer.Write(report);
            return report.Any(e => e.ExecutionStatus == CakeTaskExecutionStatus.Failed) ? 1 : 0;
        }
        catch (Exception e)
        {
            if (e is CakeReportException { Report: { } report }) printer.Write(report);
            var reason = Unwrap(e);
            // The message is written for the user; the stack trace only helps a developer.
            log.Error("error: {0}", reason.Message);
            log.Write(Verbosity.Diagnostic, LogLevel.Debug, "{0}", reason.ToString());
            return 1;
        }
    }

    private static Exception Unwrap(Exception e)
    {
        while (e is AggregateException or TargetInvocationException or CakeReportException && e.InnerException is not null)
            e = e.InnerException!;
        return e;
    }

    private static void Register(CakeEngine engine, TaskDescriptor descriptor)
    {
        var builder = engine.RegisterTask(descriptor.Name).Description(descriptor.Description);
        foreach (var d in descriptor.Dependencies) builder.IsDependentOn(d);
        foreach (var d in descriptor.Dependees) builder.IsDependeeOf(d);
        var task = new Lazy<IFrostingTask>(descriptor.Create);
        builder.WithCriteria(ctx => task.Value.ShouldRun(ctx));
        builder.Does(ctx => task.Value.RunAsync(ctx));
        builder.OnError((ex, ctx) =>
        {
            task.Value.OnError(ex, ctx);
            // Rethrow unless the task asked to continue: OnError alone would swallow the failure (exit 0).
            if (!descriptor.ContinueOnError) throw ex;
        });
        builder.Finally(ctx => task.Value.Finally(ctx));
    }

    private int UnknownTarget(HostConsole console, TaskGraph graph, string target)
    {
        var known = string.Join(", ", graph.Tasks.Select(t => t.Name).Order(StringComparer.Ordinal));
        console.WriteErrorLine($"error: unknown target '{target}'. Targets: {known}");
        return 2;
    }

    private void WriteDescriptions(HostConsole console, TaskGraph graph)
    {
        var width = graph.Tasks.Max(t => t.Name.Length) + 2;
        console.WriteLine("Task".PadRight(width) + "Description");
        console.WriteLine(new string('=', width + 60));
        foreach (var t in graph.Tasks) console.WriteLine(t.Name.PadRight(width) + t.Description);
    }

    private void WriteHelp(HostConsole console, TaskGraph graph)
    {
        console.WriteLine($"""
            Usage: {_toolName} [options] [--name=value ...]

            Options:
              -t, --target=NAME     task to run (default: {_defaultTarget})
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
