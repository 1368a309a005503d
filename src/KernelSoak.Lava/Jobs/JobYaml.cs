using System.Globalization;
using YamlDotNet.Serialization;

namespace KernelSoak.Lava.Jobs;

/// <summary>
/// Renders a <see cref="LavaJob"/> as LAVA's job definition (YAML). The shape follows LAVA 2023.01's qemu
/// device type: deploy to tmpfs (its "image" method), boot method qemu, then an interactive test: LAVA types
/// the stress line at the prompt and waits for its end marker, so the board needs only a shell (no LAVA
/// test overlay in the initramfs).
/// </summary>
public static class JobYaml
{
    private static readonly ISerializer Serializer = new SerializerBuilder().DisableAliases().Build();

    public static string Render(LavaJob job) => Serializer.Serialize(Document(job));

    private static OrderedDictionary<string, object> Document(LavaJob job) => new()
    {
        ["device_type"] = job.DeviceType,
        ["job_name"] = job.Name,
        ["priority"] = job.Priority,
        ["visibility"] = "public",
        ["timeouts"] = new OrderedDictionary<string, object>
        {
            ["job"] = Duration(job.Timeouts.Deploy + job.Timeouts.Boot + LongestStep(job) + job.Timeouts.StressMargin),
            ["action"] = Duration(job.Timeouts.Boot),
            // LAVA waits for an interactive command at most min(action, connection): the longest step must fit.
            ["connection"] = Duration(Max(TimeSpan.FromMinutes(2), LongestStep(job) + job.Timeouts.StressMargin)),
        },
        ["context"] = new OrderedDictionary<string, object>
        {
            ["arch"] = job.Machine.Arch,
            ["cpu"] = job.Machine.Cpu,
            ["machine"] = job.Machine.MachineType,
            ["memory"] = job.Machine.MemoryMiB,
            ["extra_options"] = new List<string> { $"-smp {job.Machine.Cpus.ToString(CultureInfo.InvariantCulture)}" },
        },
        ["actions"] = new List<object> { Deploy(job), Boot(job), Test(job) },
    };

    private static TimeSpan LongestStep(LavaJob job) => job.Stress.Count == 0 ? TimeSpan.Zero : job.Stress.Max(s => s.Duration);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static OrderedDictionary<string, object> Deploy(LavaJob job)
    {
        var append = string.Join(' ', job.KernelArguments);
        var images = new OrderedDictionary<string, object>
        {
            // LAVA pastes image_arg into qemu's command line with {kernel} replaced by the downloaded file.
            ["kernel"] = Image(job.Kernel, append.Length == 0 ? "-kernel {kernel}" : $"-kernel {{kernel}} -append \"{append}\""),
        };
        if (job.Ramdisk is { } ramdisk) images["ramdisk"] = Image(ramdisk, "-initrd {ramdisk}");
        if (job.RootDisk is { } disk) images["rootfs"] = Image(disk, "-drive format=raw,if=virtio,file={rootfs}");
        if (job.Dtb is { } dtb) images["dtb"] = Image(dtb, "-dtb {dtb}");
        return new() { ["deploy"] = new OrderedDictionary<string, object> { ["to"] = "tmpfs", ["timeout"] = Duration(job.Timeouts.Deploy), ["images"] = images } };
    }

    private static OrderedDictionary<string, object> Image(Uri url, string argument) =>
        new() { ["image_arg"] = argument, ["url"] = url.AbsoluteUri };

    private static OrderedDictionary<string, object> Boot(LavaJob job) => new()
    {
        ["boot"] = new OrderedDictionary<string, object>
        {
            ["method"] = "qemu",
            ["media"] = "tmpfs",
            ["timeout"] = Duration(job.Timeouts.Boot),
            ["prompts"] = new List<string> { job.Prompt },
        },
    };

    private static OrderedDictionary<string, object> Test(LavaJob job) => new()
    {
        ["test"] = new OrderedDictionary<string, object>
        {
            ["timeout"] = Duration(Max(job.Timeouts.Boot, LongestStep(job) + job.Timeouts.StressMargin)),
            ["interactive"] = new List<object>
            {
                new OrderedDictionary<string, object>
                {
                    ["name"] = "kernelsoak-stress",
                    ["prompts"] = new List<string> { job.Prompt },
                    ["script"] = new List<object> { Stress(job) },
                },
            },
        },
    };

    /// <summary>The campaign's commands run at once, as on a local board: one typed line (<see cref="StressScript"/>).</summary>
    private static OrderedDictionary<string, object> Stress(LavaJob job) => new()
    {
        ["command"] = StressScript.Line(job.Stress),
        ["name"] = "stress",
        ["successes"] = new List<object> { new OrderedDictionary<string, object> { ["message"] = StressScript.DoneWord } },
    };

    /// <summary>LAVA's timeouts take whole units; seconds, rounded up, are exact enough.</summary>
    private static OrderedDictionary<string, object> Duration(TimeSpan span) =>
        new() { ["seconds"] = (long)Math.Ceiling(span.TotalSeconds) };
}
