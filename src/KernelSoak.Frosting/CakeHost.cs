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
    private readonly List<TaskDescriptor> _fixedTasks = [];
    private readonly List<Func<HostArguments, IEnumerable<TaskDescriptor>>> _taskSources = [];
    private Func<string>? _configurationDirectory;
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

    /// <summary>Where cake.config is (asked only when a target runs); the working directory by default, as in Cake.</summary>
    public CakeHost<TContext> UseConfigurationDirectory(Func<string> directory) { _configurationDirectory = directory; return this; }

    /// <summary>Every concrete task class of the assembly that has a [TaskName].</summary>
    public CakeHost<TContext> AddAssembly(Assembly assembly)
    {
        var types = assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(IFrostingTask).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null
                && t.GetCustomAttribute<TaskNameAttribute>() is not null)
            .ToList();
        _fixedTasks.AddRange(types.Select(TaskDescriptor.FromType));
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
        if (arguments.Version) { WriteVersion(console); return 0; }
        if (arguments.Help || arguments.Description || arguments.Tree)
            return new HostHelp(console, _toolName, _defaultTarget).Write(arguments, GraphForHelp(console, arguments));
        var log = new HostLog(console, arguments.Verbosity);
        try
        {
            var graph = new TaskGraph(_fixedTasks.Concat(_taskSources.SelectMany(source => source(arguments))));
            var target = arguments.Target ?? _defaultTarget;
            if (!graph.Contains(target)) return HostHelp.UnknownTarget(console, graph, target);
            var cake = CakeContextFactory.Create(log, arguments, _configurationDirectory?.Invoke());
            var context = (_contextFactory ?? throw new InvalidOperationException("no context factory"))(cake, arguments);
            return await RunTargetAsync(console, log, graph, context, graph[target].Name, arguments);
        }
        catch (UserErrorException e)
        {
            console.WriteErrorLine($"error: {e.Message}");
            return 2;
        }
    }

    /// <summary>
    /// The graph for --help, --tree and --description, built only for them: a campaign that does not parse or
    /// generates a broken task is shown as a warning and the fixed tasks still are (help must never need the campaign).
    /// </summary>
    private TaskGraph GraphForHelp(HostConsole console, HostArguments arguments)
    {
        try
        {
            return new TaskGraph(_fixedTasks.Concat(_taskSources.SelectMany(source => source(arguments))));
        }
        catch (Exception e) when (e is UserErrorException or InvalidOperationException)
        {
            console.WriteErrorLine($"warning: {e.Message} (the tasks it would add are not shown)");
            return new TaskGraph(_fixedTasks);
        }
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
        foreach (var descriptor in graph.Tasks) Register(engine, descriptor, context);
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
            // A failed row here is a [ContinueOnError] task's (Cake rethrows every other failure): shown, not fatal, as in Cake.
            return 0;
        }
        catch (Exception e)
        {
            if (e is CakeReportException { Report: { } report }) printer.Write(report);
            var reason = Unwrap(e);
            // The message is written for the user; the stack trace only helps a developer.
            log.Error("error: {0}", reason.Message);
            log.Write(Verbosity.Diagnostic, LogLevel.Debug, "{0}", reason.ToString());
            // Stopped by the user: the shell's code for a SIGINT death (128 + 2), so scripts tell it from a failure.
            return reason is OperationCanceledException { CancellationToken.IsCancellationRequested: true } ? 130 : 1;
        }
    }

    private static Exception Unwrap(Exception e)
    {
        while (e is AggregateException or TargetInvocationException or CakeReportException && e.InnerException is not null)
            e = e.InnerException!;
        return e;
    }

    private static void Register(CakeEngine engine, TaskDescriptor descriptor, ICakeContext context)
    {
        var builder = engine.RegisterTask(descriptor.Name).Description(descriptor.Description);
        foreach (var d in descriptor.Dependencies) builder.IsDependentOn(d);
        foreach (var d in descriptor.Dependees) builder.IsDependeeOf(d);
        var task = new Lazy<IFrostingTask>(descriptor.Create);
        builder.WithCriteria(ctx => task.Value.ShouldRun(ctx));
        builder.Does(ctx => task.Value.RunAsync(ctx));
        // OnError is told of the failure as an error reporter: Cake rethrows the original exception (stack and all)
        // unless the task has an error handler. Cake.Frosting registers OnError as that handler, which swallows
        // every failure (exit 0); here only [ContinueOnError] does, through Cake's own ContinueOnError().
        builder.ReportError(ex => task.Value.OnError(ex, context));
        if (descriptor.ContinueOnError) builder.ContinueOnError();
        builder.Finally(ctx => task.Value.Finally(ctx));
    }
}
