using Cake.Frosting;
using KernelSoak.Build.Plans;
using KernelSoak.Campaigns;
using KernelSoak.Frosting;

namespace KernelSoak.Build.Tasks;

public static class BisectTasks
{
    public static string TaskName(PatchRef patch) => "Bisect" + patch.Id;

    public static IEnumerable<TaskDescriptor> FromCampaign(HostArguments arguments)
    {
        var series = BuildSetup.For(arguments).Campaign.Series;
        var binary = series.Mode == SearchMode.Binary;
        var baseline = TaskDescriptor.NameOf(typeof(BaselineTask));
        var previous = baseline;
        foreach (var patch in series.Patches)
        {
            var name = TaskName(patch);
            // Sequential: each target walks the patches before it. Binary: one target probes one point of the series.
            yield return new TaskDescriptor(name,
                $"Applies {(binary ? "the series up to " : "")}{patch.Id}{(patch.Title.Length > 0 ? $" ({patch.Title})" : "")}{(binary ? "" : " on top of the previous patches")}, rebuilds, installs, reboots, stresses, harvests and records its verdict",
                [binary ? baseline : previous], [], false, () => new BisectPatchTask(patch));
            previous = name;
        }
        yield return binary
            ? new TaskDescriptor("Bisect", $"Binary search for the first bad patch of {series.Patches.Count}: probes sized to the measured rate (miss ≤ {series.MissProbability:0.###}, ≤ {series.MaxProbeS} s a point), the answer with the probability that it is wrong",
                [baseline], [], false, () => new BisectSearchTask())
            : new TaskDescriptor("Bisect", $"Walks the whole series ({series.Attempts} attempt(s) per probe) and reports the first bad patch",
                [previous], [], false, () => new BisectSummaryTask());
    }
}
