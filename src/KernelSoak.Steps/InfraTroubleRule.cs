namespace KernelSoak.Steps;

/// <summary>
/// Trouble of the test setup, not of the kernel under test: a step that failed with one of the setup's
/// failure types (anywhere among its inner exceptions), or with a full disk on the host, is retried and
/// never becomes a patch's verdict. The host names the types; this decides.
/// </summary>
public sealed class InfraTroubleRule(IReadOnlyList<Type> setupFailures)
{
    public bool Is(Exception e) => e switch
    {
        _ when setupFailures.Any(t => t.IsInstanceOfType(e)) => true,
        IOException io when DiskFull(io) => true,
        AggregateException all => all.InnerExceptions.Any(Is),
        _ => e.InnerException is { } inner && Is(inner),
    };

    // ENOSPC as .NET words it on Linux (the errno is not kept on IOException).
    private static bool DiskFull(IOException io) => io.Message.Contains("No space left on device", StringComparison.Ordinal);
}
