using System.Globalization;

namespace KernelSoak.Series;

/// <summary>
/// What clean stress time proves about a report that fires as a Poisson process: after T seconds with no
/// report, a rate above −ln(α)/T would have shown itself with probability ≥ 1 − α.
/// </summary>
public static class PoissonBounds
{
    /// <summary>The highest rate (reports per second) that T clean seconds do not rule out at confidence 1 − α.</summary>
    public static double RateUpperBound(double cleanSeconds, double alpha)
    {
        Check(alpha);
        return cleanSeconds <= 0 ? double.PositiveInfinity : -Math.Log(alpha) / cleanSeconds;
    }

    /// <summary>The same bound as a mean interval: the report, if any, fires less often than once per this many seconds.</summary>
    public static double IntervalLowerBound(double cleanSeconds, double alpha) => cleanSeconds <= 0 ? 0 : cleanSeconds / -Math.Log(alpha);

    /// <summary>The chance that a report firing once per <paramref name="meanIntervalSeconds"/> stays hidden for <paramref name="seconds"/>.</summary>
    public static double MissProbability(double meanIntervalSeconds, double seconds) => Math.Exp(-seconds / meanIntervalSeconds);

    /// <summary>Clean seconds needed so that a report once per <paramref name="meanIntervalSeconds"/> is missed with probability ≤ p.</summary>
    public static double SecondsToRuleOut(double meanIntervalSeconds, double missProbability)
    {
        Check(missProbability);
        return -Math.Log(missProbability) * meanIntervalSeconds;
    }

    /// <summary>"clean for 20 s: at 95 % confidence the report, if any, fires less often than once per 6.7 s".</summary>
    public static string Describe(double cleanSeconds, double alpha) =>
        cleanSeconds <= 0 ? "no clean stress time: rules nothing out"
            : $"clean for {Seconds(cleanSeconds)}: at {Percent(1 - alpha)} confidence the report, if any, fires less often than once per {Seconds(IntervalLowerBound(cleanSeconds, alpha))}";

    public static string Seconds(double s) => s switch
    {
        < 10 => s.ToString("0.0", CultureInfo.InvariantCulture) + " s",
        < 600 => s.ToString("0", CultureInfo.InvariantCulture) + " s",
        _ => (s / 60).ToString("0.#", CultureInfo.InvariantCulture) + " min",
    };

    public static string Percent(double p) => (p * 100) switch
    {
        var x when x >= 99.95 || x < 0.05 => (x >= 99.95 ? ">99.9" : "<0.1") + " %",
        var x when Math.Abs(x - Math.Round(x)) < 0.05 => Math.Round(x).ToString("0", CultureInfo.InvariantCulture) + " %",
        var x => x.ToString("0.#", CultureInfo.InvariantCulture) + " %",
    };

    private static void Check(double p)
    {
        if (!(p is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "a probability strictly between 0 and 1");
    }
}
