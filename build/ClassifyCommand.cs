using KernelSoak.Frosting;
using KernelSoak.Reports;

namespace KernelSoak.Build;

/// <summary>
/// Classify, shared by the task and a direct entry (<see cref="TryRun"/>): reading one saved log needs no
/// engine, task graph, board or journal, and without them it starts in a fraction of the time — it is
/// the command a user points at a CI artifact or a 100 MB console capture.
/// </summary>
public static class ClassifyCommand
{
    public static void Run(string? log, string? format, IReadOnlyList<string> suppress, Action<string> info, bool quiet = false)
    {
        try
        {
            ClassifyRun.Run(log, format, quiet, suppress, info);
        }
        catch (ArgumentException e)
        {
            throw new UserErrorException(e.Message);
        }
    }

    /// <summary>
    /// The direct entry: taken for --target=Classify (not for --help, --tree, --description or --dryrun,
    /// which the host answers about the graph). Null when the host should run as usual.
    /// </summary>
    public static int? TryRun(IReadOnlyList<string> args)
    {
        // The same parser as the native program's: what it leaves to the host (--help, --tree, …), the host answers.
        if (ClassifyCommandLine.Parse(args) is not { } commandLine) return null;
        HostArguments arguments;
        try
        {
            arguments = HostArguments.Parse(args);
        }
        catch (ArgumentException)
        {
            return null; // the host says what is wrong with the arguments
        }
        try
        {
            var setup = BuildSetup.For(arguments);
            string? Arg(string name) => setup.Arguments.LastOrDefault(a => a.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
            Run(Arg("log"), Arg("format"), setup.Campaign.Monitor.Suppress, Console.Out.WriteLine, commandLine.Quiet);
            return 0;
        }
        catch (UserErrorException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
