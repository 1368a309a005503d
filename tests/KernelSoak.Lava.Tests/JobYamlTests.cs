using KernelSoak.Lava.Jobs;
using YamlDotNet.RepresentationModel;

namespace KernelSoak.Lava.Tests;

public class JobYamlTests
{
    internal static LavaJob Job(params StressStep[] stress) => LavaJob.Create(
        "kernelsoak probe p3 attempt 1", "qemu", QemuMachine.Arm64Virt(),
        new JobImages(new Uri("http://127.0.0.1:4711/Image"), RootDisk: new Uri("http://127.0.0.1:4711/rootfs.ext4")),
        ["console=ttyAMA0,115200", "root=/dev/vda", "rw", "init=/init"], "/ # ",
        stress.Length > 0 ? stress : [new StressStep("hackbench", "hackbench -l 100 || true", TimeSpan.FromMinutes(4))],
        JobTimeouts.ForTcg);

    private static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode At(YamlNode node, params object[] path)
    {
        foreach (var step in path)
            node = step is int i ? ((YamlSequenceNode)node)[i] : ((YamlMappingNode)node)[(string)step];
        return node;
    }

    private static string Text(YamlNode node, params object[] path) => ((YamlScalarNode)At(node, path)).Value!;

    [Test]
    public void Deploys_the_kernel_and_root_disk_from_their_URLs_and_boots_them_with_qemu()
    {
        var job = Parse(JobYaml.Render(Job()));
        Assert.That(Text(job, "device_type"), Is.EqualTo("qemu"));
        Assert.That(Text(job, "context", "arch"), Is.EqualTo("arm64"));
        Assert.That(Text(job, "context", "extra_options", 0), Is.EqualTo("-smp 2"));
        Assert.That(Text(job, "actions", 0, "deploy", "to"), Is.EqualTo("tmpfs"));
        Assert.That(Text(job, "actions", 0, "deploy", "images", "kernel", "url"), Is.EqualTo("http://127.0.0.1:4711/Image"));
        Assert.That(Text(job, "actions", 0, "deploy", "images", "kernel", "image_arg"),
            Is.EqualTo("-kernel {kernel} -append \"console=ttyAMA0,115200 root=/dev/vda rw init=/init\""));
        Assert.That(Text(job, "actions", 0, "deploy", "images", "rootfs", "image_arg"), Is.EqualTo("-drive format=raw,if=virtio,file={rootfs}"));
        Assert.That(Text(job, "actions", 1, "boot", "method"), Is.EqualTo("qemu"));
        Assert.That(Text(job, "actions", 1, "boot", "prompts", 0), Is.EqualTo("/ # "), "the prompt's trailing space survives YAML");
    }

    [Test]
    public void The_stress_steps_are_one_interactive_command_that_round_trips_through_YAML_unchanged()
    {
        var steps = new[]
        {
            new StressStep("quotes", "sh -c 'echo \"a: b\" # not a comment' && [ -d /proc ]", TimeSpan.FromSeconds(30)),
            new StressStep("colon", "stress-ng --cpu 1 --timeout 5s: {x}", TimeSpan.FromSeconds(90)),
        };
        var test = At(Parse(JobYaml.Render(Job(steps))), "actions", 2, "test", "interactive", 0);
        Assert.That(Text(test, "prompts", 0), Is.EqualTo("/ # "));
        Assert.That(((YamlSequenceNode)At(test, "script")).Children, Has.Count.EqualTo(1));
        Assert.That(Text(test, "script", 0, "command"), Is.EqualTo(StressScript.Line(steps)));
        Assert.That(Text(test, "script", 0, "successes", 0, "message"), Is.EqualTo(StressScript.DoneWord));
    }

    [Test]
    public void Timeouts_leave_room_for_the_longest_step_and_the_whole_job()
    {
        var job = Parse(JobYaml.Render(Job(new StressStep("long", "true", TimeSpan.FromMinutes(7)), new StressStep("short", "true", TimeSpan.FromMinutes(1)))));
        long Seconds(params object[] path) => long.Parse(Text(job, [.. path, "seconds"]), System.Globalization.CultureInfo.InvariantCulture);
        // LAVA waits for an interactive command min(action, connection) at most: both must outlast the 7 min step.
        Assert.That(Seconds("timeouts", "connection"), Is.EqualTo(7 * 60 + 3 * 60));
        Assert.That(Seconds("actions", 2, "test", "timeout"), Is.EqualTo(7 * 60 + 3 * 60), "the steps run at once: the longest sets the time");
        Assert.That(Seconds("timeouts", "job"), Is.EqualTo(5 * 60 + 10 * 60 + 7 * 60 + 3 * 60));
    }
}
