using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KernelSoak.Soak;

/// <summary>
/// What a reader of summary.md wants the next morning besides the verdict: which kernel ran (release and
/// config hash), on which board, under which stress and for how long, when, and where the logs are.
/// </summary>
public sealed record RunFacts(
    string KernelRelease,
    string ConfigSha256,
    string Board,
    IReadOnlyList<StressOutcome> Stress,
    double StressSeconds,
    DateTimeOffset Started,
    DateTimeOffset Ended,
    string LogsDir)
{
    /// <summary>The sha256 of a kernel .config, or "unknown" when it is not there (a wiped build directory).</summary>
    public static string ConfigHash(string configPath) =>
        File.Exists(configPath) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(configPath))) : "unknown";

    public string Markdown()
    {
        static string At(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        var md = new StringBuilder();
        md.AppendLine("| run | |").AppendLine("|---|---|");
        md.AppendLine($"| kernel | `{KernelRelease}` |");
        md.AppendLine($"| config sha256 | `{(ConfigSha256.Length > 16 ? ConfigSha256[..16] + "…" : ConfigSha256)}` |");
        md.AppendLine($"| board | {Board} |");
        md.AppendLine($"| stress | {(Stress.Count == 0 ? "none" : string.Join("<br>", Stress.Select(Describe)))} |");
        md.AppendLine($"| stressed for | {StressSeconds.ToString("0", CultureInfo.InvariantCulture)} s |");
        md.AppendLine($"| started / ended | {At(Started)} / {At(Ended)} ({(Ended - Started).TotalMinutes.ToString("0.0", CultureInfo.InvariantCulture)} min) |");
        md.AppendLine($"| logs | `{LogsDir}` (merged.log: every channel in time order) |");
        return md.ToString();
    }

    private static string Describe(StressOutcome s) =>
        $"{s.Profile}: `{s.Command.Replace("|", "\\|", StringComparison.Ordinal)}` ×{s.Iterations}{(s.NonZeroExits > 0 ? $", {s.NonZeroExits} non-zero exits" : "")}";
}
