using System.Diagnostics;
using System.Text;
using CliWrap;

namespace KernelSoak.Processes;

public sealed record CommandResult(CommandLine Command, int ExitCode, TimeSpan Duration, IReadOnlyList<string> Output)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>Where external commands are told: the exact line, then exit code and duration.</summary>
public interface ICommandLog
{
    void Started(CommandLine command);
    void Finished(CommandResult result);

    /// <summary>A log that keeps nothing (benches, tests that only need a runner).</summary>
    public static readonly ICommandLog None = new NoCommandLog();

    private sealed class NoCommandLog : ICommandLog
    {
        public void Started(CommandLine command) { }
        public void Finished(CommandResult result) { }
    }
}

/// <summary>Runs a local program through CliWrap, streaming lines and logging the exact command line.</summary>
public sealed class CommandRunner(ICommandLog log)
{
    /// <summary>How many lines of output a result keeps (the full stream goes to onLine / a log file).</summary>
    public int KeepLines { get; init; } = 200;

    public async Task<CommandResult> RunAsync(CommandLine command, Action<string>? onLine = null,
        IReadOnlyDictionary<string, string?>? environment = null, CancellationToken cancellation = default)
    {
        log.Started(command);
        var kept = new Queue<string>();
        var gate = new Lock();
        void Line(string line)
        {
            lock (gate)
            {
                kept.Enqueue(line);
                if (kept.Count > KeepLines) kept.Dequeue();
            }
            onLine?.Invoke(line);
        }
        var watch = Stopwatch.StartNew();
        var cli = Cli.Wrap(command.Program)
            .WithArguments(command.Arguments)
            .WithWorkingDirectory(command.WorkingDirectory ?? Environment.CurrentDirectory)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(Line, Encoding.UTF8))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(Line, Encoding.UTF8));
        if (environment is not null) cli = cli.WithEnvironmentVariables(environment);
        int exitCode;
        try
        {
            exitCode = (await cli.ExecuteAsync(cancellation)).ExitCode;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"cannot run '{command.Program}': {e.Message} (is it installed and on PATH?)", e);
        }
        List<string> output;
        lock (gate) output = [.. kept];
        var result = new CommandResult(command, exitCode, watch.Elapsed, output);
        log.Finished(result);
        return result;
    }
}
