using KernelSoak.Processes;

namespace KernelSoak.Boards.Switches;

/// <summary>The shell lines that drive a USB relay, a smart plug or a PDU (empty = not available).</summary>
public sealed record PowerCommands(string Cycle, string Off, string On, TimeSpan OffFor);

/// <summary>
/// A power switch driven by the user's own command lines. A reset runs the cycle command when there is one,
/// else off, a pause (a board's capacitors and its ramoops need the time off to mean anything), then on.
/// A command that fails is the switch's failure, never the kernel's.
/// A line may name secrets as {secret:NAME} (<see cref="SecretReference"/>): taken from the environment, never logged.
/// </summary>
public sealed class CommandPowerSwitch(PowerCommands commands, CommandRunner runner, Func<string, string?>? environment = null) : IPowerSwitch
{
    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    /// <summary>A relay has no way to ask; the board is taken to be on (SSH tells the rest).</summary>
    public bool IsOn => true;

    public Task OnAsync(CancellationToken cancellation = default) => RunAsync("OnCommand", commands.On, cancellation);
    public Task OffAsync(CancellationToken cancellation = default) => RunAsync("OffCommand", commands.Off, cancellation);

    public async Task ResetAsync(CancellationToken cancellation = default)
    {
        if (commands.Cycle.Length > 0)
        {
            await RunAsync("CycleCommand", commands.Cycle, cancellation);
            return;
        }
        if (commands.Off.Length == 0 || commands.On.Length == 0)
            throw new PowerSwitchException("[Power] Switch = command needs CycleCommand, or both OffCommand and OnCommand (a USB relay or smart-plug CLI)");
        await OffAsync(cancellation);
        var off = System.Diagnostics.Stopwatch.StartNew();
        // Task.Delay may wake a little early (timer granularity): the board stays off the whole time asked.
        TimeSpan left;
        while ((left = commands.OffFor - off.Elapsed) > TimeSpan.Zero) await Task.Delay(left + TimeSpan.FromMilliseconds(1), cancellation);
        await OnAsync(cancellation);
    }

    private async Task RunAsync(string key, string line, CancellationToken cancellation)
    {
        if (line.Length == 0) throw new PowerSwitchException($"[Power] {key} is not set: the command switch cannot do that");
        CommandResult result;
        IReadOnlyDictionary<string, string> secrets;
        try
        {
            (var shell, secrets) = SecretReference.Resolve(line, $"[Power] {key}", _environment);
            result = await runner.RunAsync(CommandLine.Of("sh", "-c", shell) with { Shown = "sh -c " + CommandLine.Quote(line) },
                environment: secrets.ToDictionary(s => s.Key, s => (string?)s.Value), cancellation: cancellation);
        }
        catch (MissingSecretException e)
        {
            throw new PowerSwitchException(e.Message, e);
        }
        catch (InvalidOperationException e)
        {
            throw new PowerSwitchException($"[Power] {key} could not run: {e.Message}", e);
        }
        if (!result.Succeeded)
            throw new PowerSwitchException($"[Power] {key} failed (exit {result.ExitCode}): {LogMask.Redact(SecretReference.Hide(string.Join(" | ", result.Output.TakeLast(3)), secrets))} — the board's power is in an unknown state; check the switch");
    }
}

/// <summary>The power switch did not do its job: infrastructure trouble, not a verdict on the kernel.</summary>
public sealed class PowerSwitchException(string message, Exception? inner = null) : Exception(message, inner);
