namespace KernelSoak.Kernel;

/// <summary>
/// Everything a kernel build's result depends on. Same fingerprint: make is skipped entirely; any change
/// (a source edit, one config option, another compiler, another make variable or target) rebuilds.
/// </summary>
public static class BuildInputs
{
    public static string Fingerprint(string sourceState, string dotConfig, string toolchain, IEnumerable<string> makeVariables,
        IEnumerable<string> targets, string release) =>
        Journal.Fingerprint.Of(sourceState, Journal.Fingerprint.Of(dotConfig), toolchain, string.Join(' ', makeVariables), string.Join(' ', targets), release);
}
