namespace KernelSoak.Series;

/// <summary>
/// The hunted report's rate as the probes have measured it: <see cref="Reports"/> reports in
/// <see cref="ExposureSeconds"/> of stress at points known to hold the bug (the time to the first report
/// when a probe stops there, the whole window when it runs on with kasan_multi_shot). With no report yet,
/// the campaign's assumed interval stands in; with neither, the rate is unknown.
/// </summary>
/// <remarks>
/// Misses are predicted from the posterior (a Gamma(k, E) rate from a scale-free prior), not from the point
/// estimate k/E: one early report is a noisy measurement, and a probe sized to a rate that happened to look
/// fast would miss far more often than promised (E[α^(λt)] = 1/(1 − ln α) = 25 % at α = 5 %, k = 1).
/// </remarks>
public sealed record RateEstimate(int Reports, double ExposureSeconds, double? AssumedIntervalSeconds)
{
    public bool Measured => Reports > 0 && ExposureSeconds > 0;
    public bool Known => Measured || AssumedIntervalSeconds is > 0;

    /// <summary>Seconds between reports: measured (E/k) or assumed; null when unknown.</summary>
    public double? MeanIntervalSeconds => Measured ? ExposureSeconds / Reports : AssumedIntervalSeconds is > 0 ? AssumedIntervalSeconds : null;

    /// <summary>The chance that a point holding the bug stays clean for <paramref name="cleanSeconds"/>; null when the rate is unknown.</summary>
    public double? MissProbability(double cleanSeconds)
    {
        if (cleanSeconds <= 0) return Known ? 1 : null;
        if (Measured) return Math.Pow(ExposureSeconds / (ExposureSeconds + cleanSeconds), Reports);
        return AssumedIntervalSeconds is > 0 and var a ? PoissonBounds.MissProbability(a, cleanSeconds) : null;
    }

    /// <summary>Clean seconds after which a point holding the bug is missed with probability ≤ p; null when the rate is unknown.</summary>
    public double? CleanSecondsFor(double missProbability)
    {
        if (Measured) return ExposureSeconds * (Math.Pow(missProbability, -1.0 / Reports) - 1);
        return AssumedIntervalSeconds is > 0 and var a ? PoissonBounds.SecondsToRuleOut(a, missProbability) : null;
    }

    /// <summary>The same sizing from the point estimate alone (k/E taken as the truth): cheaper, and what a probe of the search uses.</summary>
    public double? PointCleanSecondsFor(double missProbability) =>
        MeanIntervalSeconds is { } m ? PoissonBounds.SecondsToRuleOut(m, missProbability) : null;

    public string Describe() => Measured
        ? $"{Reports} report(s) in {PoissonBounds.Seconds(ExposureSeconds)} of stress: about once per {PoissonBounds.Seconds(MeanIntervalSeconds!.Value)}"
        : AssumedIntervalSeconds is > 0 ? $"no report measured yet; assumed once per {PoissonBounds.Seconds(AssumedIntervalSeconds.Value)} (series.assumed_interval_s)"
        : "no report measured yet and no rate assumed";
}
