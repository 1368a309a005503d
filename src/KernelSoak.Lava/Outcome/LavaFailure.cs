namespace KernelSoak.Lava.Outcome;

/// <summary>
/// Whose failure an Incomplete LAVA job is, from the error_type of its "job" result. LAVA's own, the
/// lab's or the job definition's (a download that failed, a device that would not power on, a dispatcher
/// bug, a cancel) say nothing of the kernel: infra-error. A job or test error (a boot that never reached
/// the prompt, a shell that stopped answering, an action's timeout) is the kernel's to answer for.
/// </summary>
public static class LavaFailure
{
    private static readonly HashSet<string> LabSide = new(StringComparer.OrdinalIgnoreCase)
    {
        "Infrastructure", "Configuration", "Bug", "ObjectNotPersisted", "Canceled",
    };

    private static readonly HashSet<string> KernelSide = new(StringComparer.OrdinalIgnoreCase)
    {
        "Job", "Test", "LAVATimeout",
    };

    /// <summary>True: the lab's failure. An error type this LAVA version did not have is taken as the lab's too (no verdict from what we do not understand).</summary>
    public static bool IsLabSide(string? errorType) => errorType is null || LabSide.Contains(errorType) || !KernelSide.Contains(errorType);
}
