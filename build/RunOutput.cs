using Cake.Core.Diagnostics;
using Cake.Frosting;
using KernelSoak.Frosting;
using KernelSoak.Processes;
using KernelSoak.Steps;
using Spectre.Console;

namespace KernelSoak.Build;

/// <summary>
/// The run's voice: Cake's log on the console, and every line also in artifacts/…/log/run.log — readable by
/// its owner only (0600), and every line with what looks like a credential masked (<see cref="LogMask"/>).
/// </summary>
public sealed class RunOutput(ICakeLog log, string? logFile) : IStepLog, ICommandLog
{
    private readonly Lock _gate = new();

    /// <summary>A terminal without NO_COLOR gets Spectre's live displays; a pipe or a log gets plain lines.</summary>
    public bool IsTerminal { get; } = HostConsole.DetectColor();

    public void Info(string message) => Write(LogLevel.Information, message);

    /// <summary>Long work with a status line: a Spectre spinner on a terminal, a plain line every few seconds otherwise.</summary>
    public async Task WithStatusAsync(string title, Func<Action<string>, Task> work)
    {
        if (!IsTerminal)
        {
            await work(Info);
            return;
        }
        await AnsiConsole.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(title), async ctx =>
            await work(line =>
            {
                line = LogMask.Redact(line);
                ctx.Status(Markup.Escape(line.Length > Console.WindowWidth - 4 ? line[..Math.Max(10, Console.WindowWidth - 4)] : line));
                Write(LogLevel.Verbose, line);
            }));
    }

    /// <summary>Pass/fail checks: a Spectre table on a terminal, aligned plain lines otherwise (both logged).</summary>
    public void Checks(IEnumerable<(string Name, bool Passed, string Detail)> checks)
    {
        var rows = checks.ToList();
        if (IsTerminal)
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumn("check").AddColumn("").AddColumn("detail");
            foreach (var (name, passed, detail) in rows)
                table.AddRow(Markup.Escape(name), passed ? "[green]pass[/]" : "[red]FAIL[/]", Markup.Escape(detail));
            AnsiConsole.Write(table);
        }
        foreach (var (name, passed, detail) in rows)
        {
            var line = $"  {(passed ? "pass" : "FAIL")}  {name,-11} {detail}";
            if (IsTerminal) Write(LogLevel.Verbose, line);
            else Info(line);
        }
    }
    public void Warn(string message) => Write(LogLevel.Warning, message);
    public void Detail(string message) => Write(LogLevel.Verbose, message);

    public void Started(CommandLine command) => Write(LogLevel.Information, $"$ {command}");

    public void Finished(CommandResult result) =>
        Write(result.Succeeded ? LogLevel.Verbose : LogLevel.Warning,
            $"  exit {result.ExitCode} in {result.Duration.TotalSeconds:0.0} s: {result.Command.Program}");

    private bool _restricted;

    private void Write(LogLevel level, string message)
    {
        message = LogMask.Redact(message);
        var verbosity = level == LogLevel.Verbose ? Verbosity.Verbose : Verbosity.Normal;
        log.Write(verbosity, level, "{0}", message);
        if (logFile is null) return;
        lock (_gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
            using (var file = new FileStream(logFile, KernelSoak.Journal.PrivateFile.Options(FileMode.Append, FileAccess.Write, FileShare.ReadWrite)))
                file.Write(System.Text.Encoding.UTF8.GetBytes($"{DateTimeOffset.Now:O} {level} {message}\n"));
            if (_restricted) return;
            KernelSoak.Journal.PrivateFile.Restrict(logFile);   // a run.log an older version left world-readable
            _restricted = true;
        }
    }
}
