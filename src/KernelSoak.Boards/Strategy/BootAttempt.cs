using KernelSoak.Boards.Consoles;
using KernelSoak.Reports;

namespace KernelSoak.Boards.Strategy;

/// <summary>One boot attempt: the SSH wait, the console's progress and its fatal-report watch, raced.</summary>
public sealed partial class BootStrategy
{
    private abstract record Attempt;
    private sealed record Answered(BootedSystem System) : Attempt;
    private sealed record Died(KernelReport Report) : Attempt;
    private sealed record NotInMenu(LabelNotInMenuException Error) : Attempt;
    private sealed record Silent(string Detail) : Attempt;

    /// <summary>
    /// Waits for the board to answer while the console (if any) is followed through U-Boot's menu, the
    /// label (typed when <paramref name="choose"/> is set) and the kernel's start, and watched for a
    /// fatal report. The first of: an answer, a fatal report, the label missing from the menu, the timeout.
    /// </summary>
    /// <param name="recovery">recovering: any kernel may answer, no report ends the wait and the console's progress is not a state of this boot</param>
    /// <param name="throughBootLoader">false for a kexec: the console shows no U-Boot, the kernel starts straight away</param>
    private async Task<Attempt> AttemptAsync(BootRequest request, long offset, string? choose, CancellationToken cancellation, bool recovery = false, bool throughBootLoader = true)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var never = new TaskCompletionSource<object?>().Task;
        var answer = system.WaitForNewBootAsync(request.PreviousBootId, request.BootTimeout, stop.Token);
        Task fatal = console is not null && !recovery
            ? new FatalReportWatch(console, FatalClasses, r => ReportSeen?.Invoke(r)).FirstFatalAsync(offset, stop.Token)
            : never;
        Task progress = console is not null ? FollowConsoleAsync(console, request, offset, choose, recovery, throughBootLoader, stop.Token) : never;
        try
        {
            while (true)
            {
                var done = await Task.WhenAny(answer, fatal, progress);
                if (done == answer)
                {
                    try
                    {
                        return new Answered(await answer);
                    }
                    catch (TimeoutException e)
                    {
                        return new Silent(e.Message);
                    }
                }
                if (done == fatal)
                {
                    if (await (Task<KernelReport?>)fatal is { } report) return new Died(report);
                    fatal = never; // the console closed: the SSH wait decides alone
                }
                else
                {
                    if (await (Task<LabelNotInMenuException?>)progress is { } missing) return new NotInMenu(missing);
                    progress = never;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var task in new[] { answer, fatal, progress }.Where(t => t != never))
                try
                {
                    await task;
                }
                catch (Exception e) when (e is OperationCanceledException or TimeoutException or ConsoleClosedException)
                {
                    // Losers of the race, stopped above.
                }
        }
    }

    /// <summary>Follows the console: the menu (typing our label's number), the label's files, the kernel. Timeouts here only mean the console did not show it.</summary>
    private async Task<LabelNotInMenuException?> FollowConsoleAsync(IConsole on, BootRequest request, long offset, string? choose, bool recovery,
        bool throughBootLoader, CancellationToken cancellation)
    {
        void Step(BootState to, string why)
        {
            if (!recovery) Move(to, why);
        }

        try
        {
            // kexec: no U-Boot on the way in (the old kernel hands over directly); the next banner is the new kernel's.
            var from = offset;
            if (throughBootLoader && choose is not null)
            {
                await on.ExpectAsync(UBootMenu.EnterChoice(), offset, request.MenuTimeout, cancellation);
                Step(BootState.BootLoader, "U-Boot's menu is up");
                var (entry, afterMenu) = await UBootMenu.ChooseAsync(on, offset, choose, request.MenuTimeout, say, cancellation);
                Step(BootState.LabelChosen, $"chose {entry.Number} ({entry.Text})");
                from = afterMenu;
            }
            else if (throughBootLoader)
            {
                var loading = await on.ExpectAsync(UBootMenu.RetrievingFile(), offset, request.MenuTimeout, cancellation);
                Step(BootState.LabelChosen, "U-Boot loads its default label");
                from = offset + loading.Index;
            }
            await on.ExpectAsync(UBootMenu.KernelStarting(), from, request.BootTimeout, cancellation);
            Step(BootState.Kernel, throughBootLoader ? "the kernel is starting" : "the kexec'd kernel is starting");
            return null;
        }
        catch (LabelNotInMenuException e)
        {
            return e;
        }
        catch (Exception e) when (e is TimeoutException or ConsoleClosedException)
        {
            return null;
        }
    }
}
