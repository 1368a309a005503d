namespace KernelSoak.Lava.Api;

/// <summary>
/// LAVA's API answered something else than asked for (refused the job, the token, no such job) or could
/// not be reached: the probe did not run, so its outcome is infra-error. The message never holds the token.
/// </summary>
public sealed class LavaApiException(string message, int? status = null, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The HTTP status, when LAVA answered.</summary>
    public int? Status { get; } = status;
}
