using System.Globalization;

namespace KernelSoak.Lava.Jobs;

/// <summary>
/// The one line typed at the board's shell for a probe's stress: every campaign command at once, as on a local
/// board, each in its own background loop until its duration is up, each pass's exit status printed as
/// "ks-exit=STEP:STATUS"; when all are done, an end marker. Markers are printed through quoting and arithmetic
/// (ks-$((40+2))-done prints ks-42-done) so the console's echo of the typed line never matches them.
/// </summary>
public static class StressScript
{
    public const string DoneWord = "ks-42-done";
    public const string ExitWord = "ks-exit=";

    public static string Line(IReadOnlyList<StressStep> steps)
    {
        if (steps.Count == 0) return "echo \"ks-$((40+2))-done\"";
        // Each command runs in a subshell of its loop: an 'exit' or 'cd' in it cannot end or move the loop.
        var loops = steps.Select((s, i) =>
        {
            var seconds = ((long)Math.Ceiling(s.Duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            var step = i.ToString(CultureInfo.InvariantCulture);
            return $"( ks_end=$((ks_t0 + {seconds})); while [ \"$(date +%s)\" -lt \"$ks_end\" ]; do ( {s.Command} ); echo \"ks-ex\"\"it={step}:$?\"; done ) &";
        });
        return $"ks_t0=$(date +%s); {string.Join(' ', loops)} wait; echo \"ks-$((40+2))-done\"";
    }
}
