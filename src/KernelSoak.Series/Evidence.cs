namespace KernelSoak.Series;

/// <summary>Why a point of the series says nothing about the bug (git bisect skip).</summary>
public enum Untestable { ApplyFailed, BuildFailed, NoBoot }

/// <summary>
/// One stress window at one point, as the search counts it: how long the stress ran and how many reports
/// of the hunted kind it saw (pre-existing baseline titles and titles the campaign does not hunt excluded).
/// </summary>
public sealed record ProbeObservation(double StressSeconds, int HuntedReports = 0)
{
    public bool Reported => HuntedReports > 0;
}

/// <summary>Everything recorded at one point (base + patches 0..i): its probes, or why it cannot be tested.</summary>
public sealed record PointEvidence(IReadOnlyList<ProbeObservation> Probes, Untestable? CannotTest = null, bool FailedOutright = false)
{
    public static readonly PointEvidence None = new([]);

    /// <summary>A hunted report was seen, or the kernel failed outright (no boot) while any report is hunted.</summary>
    public bool Bad => CannotTest is null && (FailedOutright || Probes.Any(p => p.Reported));
    public bool Clean => CannotTest is null && !Bad && StressSeconds > 0;
    public bool Testable => CannotTest is null;
    public double StressSeconds => Probes.Sum(p => p.StressSeconds);
    public int Reports => Probes.Sum(p => p.HuntedReports);

    public PointEvidence With(ProbeObservation probe) => this with { Probes = [.. Probes, probe] };
}

/// <summary>The campaign's series.* settings the search obeys.</summary>
public sealed record SearchPolicy(double MissProbability = 0.05, double MaxProbeSeconds = 1800, double InitialProbeSeconds = 60,
    double? AssumedIntervalSeconds = null, bool SoakBadEnd = false)
{
    /// <summary>A window shorter than this is mostly setup: a probe is never sized below it.</summary>
    public const double MinProbeSeconds = 10;
}
