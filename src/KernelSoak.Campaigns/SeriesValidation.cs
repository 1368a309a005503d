using System.Text.RegularExpressions;

namespace KernelSoak.Campaigns;

/// <summary>The series search's settings: a probability, a budget, a title regex and an assumed rate that the search can work with.</summary>
internal static class SeriesValidation
{
    public static void Check(SeriesSpec s, Func<string, string> at)
    {
        if (!(s.MissProbability is > 0 and < 0.5))
            throw new CampaignException($"{at("miss_probability")}: series.miss_probability must be above 0 and below 0.5 (0.05: a 5 % chance that a bug at the measured rate is missed), not {s.MissProbability}");
        if (s.MaxProbeS < 10)
            throw new CampaignException($"{at("max_probe_s")}: series.max_probe_s must be at least 10 seconds of stress, not {s.MaxProbeS}");
        if (s.AssumedIntervalS < 0)
            throw new CampaignException($"{at("assumed_interval_s")}: series.assumed_interval_s must be 0 (none) or the bug's mean seconds between reports, not {s.AssumedIntervalS}");
        if (s.Hunt.Length == 0)
            throw new CampaignException($"{at("hunt")}: series.hunt must be \"any\" or a regex over report titles, not empty");
        if (s.Hunt != "any")
        {
            try { _ = new Regex(s.Hunt, RegexOptions.CultureInvariant); }
            catch (ArgumentException e) { throw new CampaignException($"{at("hunt")}: series.hunt is not \"any\" and not a valid regex '{s.Hunt}': {e.Message}"); }
        }
    }
}
