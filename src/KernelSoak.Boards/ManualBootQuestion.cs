namespace KernelSoak.Boards;

public enum ManualBootAnswer { NoBoot, LabelMissed, Unanswered }

/// <summary>
/// With manual selection, a board that comes back on another release has two stories KernelSoak cannot tell
/// apart: the test kernel died (and <c>panic=N</c> or a person brought the board back), or nobody chose its
/// label at the menu in time. Only the person at the board knows, so they are asked, by a file to touch
/// (<c>confirm/no-boot</c> or <c>confirm/missed</c>), never guessed: a guess would be a false verdict.
/// </summary>
public sealed class ManualBootQuestion(Action<string> say, string confirmDir, TimeSpan timeout)
{
    public string NoBootFile => Path.Combine(confirmDir, "no-boot");
    public string MissedFile => Path.Combine(confirmDir, "missed");

    public async Task<ManualBootAnswer> AskAsync(string running, string release, string label, CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(confirmDir);
        File.Delete(NoBootFile);
        File.Delete(MissedFile);
        say($"ACTION NEEDED: the board came up on {running}, not {release}. If the test kernel did not boot (it panicked, hung, or " +
            $"rebooted by itself), run: touch {NoBootFile}   If '{label}' was not chosen at the U-Boot menu, run: touch {MissedFile}   " +
            $"(waiting up to {timeout.TotalMinutes:0} min)");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(timeout);
        try
        {
            while (true)
            {
                if (File.Exists(NoBootFile)) return ManualBootAnswer.NoBoot;
                if (File.Exists(MissedFile)) return ManualBootAnswer.LabelMissed;
                await Task.Delay(200, limit.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return ManualBootAnswer.Unanswered;
        }
        finally
        {
            File.Delete(NoBootFile);
            File.Delete(MissedFile);
        }
    }
}
