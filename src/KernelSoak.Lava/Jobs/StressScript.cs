using System.Globalization;

namespace KernelSoak.Lava.Jobs;

/// <summary>
/// The line typed at the board's shell for one stress step: the command in a loop until its time is up,
/// each pass's exit status printed, then an end marker. The marker is printed through arithmetic
/// (ks-$((40+2))-done prints ks-42-done) so the console's echo of the typed line never matches it.
/// </summary>
public static class StressScript
{
    public const string DoneWord = "ks-42-done";
    public const string ExitWord = "ks-exit=";

    public static string Line(StressStep step)
    {
        var seconds = ((long)Math.Ceiling(step.Duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        // The command runs in a subshell: an 'exit' or 'cd' in it cannot end or move the loop's shell.
        return $"ks_end=$(( $(date +%s) + {seconds} )); while [ \"$(date +%s)\" -lt \"$ks_end\" ]; do ( {step.Command} ); echo \"ks-ex\"\"it=$?\"; done; echo \"ks-$((40+2))-done\"";
    }
}
