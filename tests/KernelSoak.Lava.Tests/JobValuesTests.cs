using KernelSoak.Lava.Jobs;

namespace KernelSoak.Lava.Tests;

/// <summary>Values that reach the dispatcher's command line or the board's shell are refused where they enter the job.</summary>
public class JobValuesTests
{
    private static LavaJob With(string? kernelUrl = null, string[]? arguments = null, string prompt = "/ # ", StressStep[]? stress = null, string name = "probe") =>
        LavaJob.Create(name, "qemu", QemuMachine.Arm64Virt(), new JobImages(new Uri(kernelUrl ?? "http://127.0.0.1:1/Image")),
            arguments ?? ["console=ttyAMA0"], prompt, stress ?? [], JobTimeouts.ForTcg);

    [TestCase("http://127.0.0.1:1/Image;reboot", "shell character")]
    [TestCase("http://127.0.0.1:1/a'b", "quote")]
    [TestCase("ftp://127.0.0.1/Image", "http(s)")]
    [TestCase("file:///boot/Image", "http(s)")]
    public void An_artifact_URL_that_would_break_qemus_command_line_is_refused(string url, string why) =>
        Assert.That(() => With(kernelUrl: url), Throws.ArgumentException.With.Message.Contains(why));

    [TestCase("root=/dev/vda rw")]
    [TestCase("init=/init\"")]
    [TestCase("x=$(reboot)")]
    [TestCase("a;b")]
    public void A_kernel_argument_must_be_one_plain_word(string argument) =>
        Assert.That(() => With(arguments: [argument]), Throws.ArgumentException.With.Message.Contains(argument));

    [Test]
    public void A_stress_command_must_be_one_console_line_without_our_marker()
    {
        Assert.That(() => new StressStep("two", "true\nreboot", TimeSpan.FromSeconds(1)), Throws.ArgumentException.With.Message.Contains("newline"));
        Assert.That(() => new StressStep("esc", "echo \u0003", TimeSpan.FromSeconds(1)), Throws.ArgumentException);
        Assert.That(() => new StressStep("marker", $"echo {StressScript.DoneWord}", TimeSpan.FromSeconds(1)), Throws.ArgumentException.With.Message.Contains("marker"));
        Assert.That(() => new StressStep("bad name", "true", TimeSpan.FromSeconds(1)), Throws.ArgumentException.With.Message.Contains("test case"));
        Assert.That(() => new StressStep("zero", "true", TimeSpan.Zero), Throws.ArgumentException.With.Message.Contains("positive"));
    }

    [Test]
    public void A_campaigns_stress_command_becomes_a_step_checked_the_same_way()
    {
        var step = StressStep.From(new KernelSoak.Soak.StressCommand("hackbench", "hackbench -l 50", TimeSpan.FromMinutes(2)));
        Assert.That((step.Name, step.Command, step.Duration), Is.EqualTo(("hackbench", "hackbench -l 50", TimeSpan.FromMinutes(2))));
        Assert.That(() => StressStep.From(new KernelSoak.Soak.StressCommand("fs stress", "true", TimeSpan.FromMinutes(1))), Throws.ArgumentException);
    }

    [Test]
    public void Job_names_prompts_and_step_names_are_checked()
    {
        Assert.That(() => With(name: "two\nlines"), Throws.ArgumentException.With.Message.Contains("job name"));
        Assert.That(() => With(prompt: ""), Throws.ArgumentException.With.Message.Contains("prompt"));
    }
}
