using KernelSoak.Campaigns;

namespace KernelSoak.Kernel.Kconfig;

/// <summary>The running kernel's config against the campaign's: a kernel with the right release but without the options is another build.</summary>
public static class RunningConfig
{
    /// <summary>
    /// Each required option the running config does not have, as "NAME=want (running: got)". A kernel without
    /// /proc/config.gz (an empty config) proves nothing either way: none are reported.
    /// </summary>
    public static IReadOnlyList<string> Missing(IEnumerable<ConfigOption> requested, DotConfig running) =>
        running.Values.Count == 0 ? [] : requested.Where(o => !o.Optional && o.Value != "undef" && running[o.Name] != o.Value)
            .Select(o => $"{o.Name}={o.Value} (running: {running[o.Name]})").ToList();
}
