namespace KernelSoak.Campaigns;

/// <summary>A campaign file that cannot be used, pointing at file:line.</summary>
public sealed class CampaignException(string message) : Exception(message);
