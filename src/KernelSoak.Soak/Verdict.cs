namespace KernelSoak.Soak;

/// <summary>What a probe says about the kernel it tried. Written as its word (<see cref="VerdictWords"/>) in every file and journal entry.</summary>
public enum Verdict { Clean, Report, Wedge, NoBoot, BuildFailed, ApplyFailed, InfraError }

/// <summary>The words verdicts are written with (verdict.json, probe.json, results.json, journal outputs): files from every earlier run use them.</summary>
public static class Verdicts
{
    public const string Clean = "clean";
    public const string Report = "report";
    public const string Wedge = "wedge";
    public const string NoBoot = "no-boot";
    public const string BuildFailed = "build-failed";
    public const string ApplyFailed = "apply-failed";
    public const string InfraError = "infra-error";

    /// <summary>The point's kernel never existed (the patch did not apply, or it did not build): a search skips the point, as git bisect skip does.</summary>
    public static bool NeverBuilt(string? verdict) => verdict is ApplyFailed or BuildFailed;
}

/// <summary>One table between <see cref="Verdict"/> and its word, both ways.</summary>
public static class VerdictWords
{
    private static readonly Dictionary<Verdict, string> Words = new()
    {
        [Verdict.Clean] = Verdicts.Clean,
        [Verdict.Report] = Verdicts.Report,
        [Verdict.Wedge] = Verdicts.Wedge,
        [Verdict.NoBoot] = Verdicts.NoBoot,
        [Verdict.BuildFailed] = Verdicts.BuildFailed,
        [Verdict.ApplyFailed] = Verdicts.ApplyFailed,
        [Verdict.InfraError] = Verdicts.InfraError,
    };

    public static string Of(Verdict verdict) => Words[verdict];

    public static Verdict Parse(string word) => TryParse(word) ?? throw new FormatException(
        $"'{word}' is not a verdict ({string.Join(", ", Words.Values)}): the file was written by another tool or edited by hand");

    public static Verdict? TryParse(string? word) => Words.FirstOrDefault(w => w.Value == word) is { Value: not null } w ? w.Key : null;
}
