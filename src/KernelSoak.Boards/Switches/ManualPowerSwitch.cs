namespace KernelSoak.Boards.Switches;

/// <summary>
/// A person is the power switch: say exactly what to do, then wait until they confirm — Enter on an
/// interactive terminal, or the named file appearing (for a run without a terminal: `touch` it from
/// another shell). The file is removed once seen, so the next request waits again.
/// </summary>
public sealed class ManualPowerSwitch(Action<string> say, string confirmFile, TimeSpan timeout, TextReader? keyboard) : IPowerSwitch
{
    public bool IsOn => true;

    public Task OnAsync(CancellationToken cancellation = default) => AskAsync("switch the board ON", cancellation);
    public Task OffAsync(CancellationToken cancellation = default) => AskAsync("switch the board OFF", cancellation);
    public Task ResetAsync(CancellationToken cancellation = default) =>
        AskAsync("power-cycle the board: switch it off, wait 5 seconds, switch it on (it boots its default label)", cancellation);

    private async Task AskAsync(string what, CancellationToken cancellation)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(confirmFile))!);
        File.Delete(confirmFile);
        say($"ACTION NEEDED: {what}; then {(keyboard is null ? "" : "press Enter here, or ")}run: touch {confirmFile}   (waiting up to {timeout.TotalMinutes:0} min)");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(timeout);
        var file = WaitForFileAsync(limit.Token);
        var done = keyboard is null ? file : await Task.WhenAny(file, Task.Run(() => keyboard.ReadLine(), limit.Token));
        try
        {
            await done;
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new PowerSwitchException($"nobody confirmed '{what}' within {timeout.TotalMinutes:0} min (touch {confirmFile} once it is done, then re-run)");
        }
        finally
        {
            await limit.CancelAsync();
            File.Delete(confirmFile);
        }
        say("confirmed");
    }

    private async Task WaitForFileAsync(CancellationToken cancellation)
    {
        while (!File.Exists(confirmFile)) await Task.Delay(200, cancellation);
    }
}
