namespace KernelSoak.Series;

public enum ProbePurpose
{
    /// <summary>The whole series first: is there a bug at all?</summary>
    BadEnd,
    /// <summary>The bad end stayed clean: soak it on, up to series.max_probe_s.</summary>
    SoakBadEnd,
    /// <summary>A point between the last clean and the first bad one.</summary>
    Narrow,
    /// <summary>The first bad point again: the rate is too uncertain for the answer to be sure within the budget.</summary>
    MeasureRate,
    /// <summary>The clean neighbour of the answer, soaked until the answer is as sure as the campaign asks.</summary>
    Confirm,
}

public enum AnswerKind { FirstBad, NoBadPatch, NothingTestable }

public abstract record SearchDecision(string Why);

/// <summary>Stress point <paramref name="Index"/> for another <paramref name="Seconds"/> (a probe stops at its first hunted report).</summary>
public sealed record ProbeNext(int Index, double Seconds, ProbePurpose Purpose, string Why) : SearchDecision(Why);

/// <summary>
/// The series answer. <paramref name="FirstBad"/>: the first bad point (with <paramref name="Skipped"/>
/// untestable points just below it, the first bad patch is one of those or it). <paramref name="LastClean"/>:
/// the highest clean point below it (−1: the base). <paramref name="ProbabilityWrong"/>: the chance that
/// the clean point that decides the answer holds the bug at the measured (or assumed) rate and stayed
/// hidden; null when no rate is known.
/// </summary>
public sealed record SeriesAnswer(AnswerKind Kind, int? FirstBad, int LastClean, IReadOnlyList<int> Skipped, double CleanSeconds,
    double? ProbabilityWrong, RateEstimate Rate, string Why) : SearchDecision(Why);
