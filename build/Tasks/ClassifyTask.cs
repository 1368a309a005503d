using Cake.Core.Diagnostics;
using Cake.Frosting;
using KernelSoak.Reports;

namespace KernelSoak.Build.Tasks;

[TaskName("Classify")]
[TaskDescription("Splits a saved kernel log or console capture (--log=FILE) into reports with class, title and guilty frame (--format=json)")]
public sealed class ClassifyTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        ClassifyCommand.Run(context.Argument("log"), context.Argument("format"), context.Campaign.Monitor.Suppress, context.Output.Info);
}

/// <summary>
/// Classify, shared by the task and a direct entry (<see cref="TryRun"/>): reading one saved log needs no
/// engine, task graph, board or journal, and without them it starts in a fraction of the time — it is
/// the command a user points at a CI artifact or a 100 MB console capture.
/// </summary>
public static class ClassifyCommand
{
    public static void Run(string? log, string? format, IReadOnlyList<string> suppress, Action<string> info)
    {
        if (log is null) throw new UserErrorException("Classify needs --log=FILE (a dmesg, console capture, journalctl or pstore file)");
        if (LogPath.Problem(log) is { } problem) throw new UserErrorException(problem);
        var classified = SavedLog.Classify(log, suppress);
        if (string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            using var stdout = Console.OpenStandardOutput();
            classified.WriteJson(stdout);
            stdout.Write("\n"u8);
            return;
        }
        foreach (var line in classified.Lines()) info(line);
    }

    /// <summary>
    /// The direct entry: taken for --target=Classify (not for --help, --tree, --description or --dryrun,
    /// which the host answers about the graph). Null when the host should run as usual.
    /// </summary>
    public static int? TryRun(IReadOnlyList<string> args)
    {
        HostArguments arguments;
        try
        {
            arguments = HostArguments.Parse(args);
        }
        catch (ArgumentException)
        {
            return null; // the host says what is wrong with the arguments
        }
        if (!string.Equals(arguments.Target, "Classify", StringComparison.OrdinalIgnoreCase) || arguments.Help || arguments.Tree || arguments.Description || arguments.DryRun)
            return null;
        try
        {
            var setup = BuildSetup.For(arguments);
            string? Arg(string name) => setup.Arguments.LastOrDefault(a => a.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
            var quiet = arguments.Verbosity == Verbosity.Quiet;
            Run(Arg("log"), Arg("format"), setup.Campaign.Monitor.Suppress, line => { if (!quiet) Console.Out.WriteLine(line); });
            return 0;
        }
        catch (UserErrorException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
