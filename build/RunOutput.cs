using Cake.Core.Diagnostics;
using KernelSoak.Processes;
using KernelSoak.Steps;

namespace KernelSoak.Build;

/// <summary>The run's voice: Cake's log on the console, and every line also in artifacts/…/log/run.log.</summary>
public sealed class RunOutput(ICakeLog log, string? logFile) : IStepLog, ICommandLog
{
    private readonly Lock _gate = new();

    public void Info(string message) => Write(LogLevel.Information, message);
    public void Warn(string message) => Write(LogLevel.Warning, message);
    public void Detail(string message) => Write(LogLevel.Verbose, message);

    public void Started(CommandLine command) => Write(LogLevel.Information, $"$ {command}");

    public void Finished(CommandResult result) =>
        Write(result.Succeeded ? LogLevel.Verbose : LogLevel.Warning,
            $"  exit {result.ExitCode} in {result.Duration.TotalSeconds:0.0} s: {result.Command.Program}");

    private void Write(LogLevel level, string message)
    {
        var verbosity = level == LogLevel.Verbose ? Verbosity.Verbose : Verbosity.Normal;
        log.Write(verbosity, level, "{0}", message);
        if (logFile is null) return;
        lock (_gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
            File.AppendAllText(logFile, $"{DateTimeOffset.Now:O} {level} {message}\n");
        }
    }
}
