using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KernelSoak.Frosting;

namespace KernelSoak.Tests.Host;

/// <summary>The host in-process: Cake's configuration, task failures and what needs the task graph.</summary>
public class CakeHostTests
{
    private static readonly List<string> Calls = [];

    private sealed class Fails : FrostingTask<ICakeContext>
    {
        public override void Run(ICakeContext context) => ThrowFromTheTask();
        public override void OnError(Exception exception, ICakeContext context) => Calls.Add("OnError " + exception.Message);
        private static void ThrowFromTheTask() => throw new InvalidOperationException("it broke");
    }

    private sealed class Records : FrostingTask<ICakeContext>
    {
        public override void Run(ICakeContext context) => Calls.Add("After ran");
    }

    private static (int Exit, string Out, string Err) Run(bool continueOnError, Func<HostArguments, IEnumerable<TaskDescriptor>>? more = null, params string[] args)
    {
        Calls.Clear();
        var output = new StringWriter();
        var error = new StringWriter();
        var host = new CakeHost<FrostingContext>()
            .UseContext((cake, _) => new FrostingContext(cake))
            .UseOutput(output, error, color: false)
            .UseDefaultTarget("After")
            .AddTasks(_ =>
            [
                new TaskDescriptor("Fails", "", [], [], continueOnError, () => new Fails()),
                new TaskDescriptor("After", "", ["Fails"], [], false, () => new Records()),
            ]);
        if (more is not null) host.AddTasks(more);
        return (host.Run(args), output.ToString(), error.ToString());
    }

    [Test]
    public void A_failing_task_stops_the_run_non_zero_with_its_own_stack()
    {
        var (exit, output, err) = Run(continueOnError: false, null, "--verbosity=diagnostic");
        Assert.That(exit, Is.Not.Zero);
        Assert.That(Calls, Is.EqualTo(new[] { "OnError it broke" }), "OnError is told; the dependent task does not run");
        Assert.That(err, Does.Contain("error: it broke"));
        Assert.That(output, Does.Contain(nameof(Fails) + ".ThrowFromTheTask"), "the exception keeps the stack it was thrown with");
    }

    [Test]
    public void ContinueOnError_reports_the_failure_and_runs_on_with_exit_zero()
    {
        var (exit, output, err) = Run(continueOnError: true);
        Assert.That(exit, Is.Zero, err);
        Assert.That(output, Does.Match(@"Fails\s.*Failed"), "the summary still shows the failure");
        Assert.That(Calls, Is.EqualTo(new[] { "OnError it broke", "After ran" }));
    }

    [Test]
    public void Help_never_needs_a_broken_task_source_and_version_asks_no_source()
    {
        var asked = 0;
        IEnumerable<TaskDescriptor> Broken(HostArguments _)
        {
            asked++;
            throw new KernelSoak.Frosting.UserErrorException("campaign.toml:1: does not parse");
        }
        var (exit, output, err) = Run(false, Broken, "--help");
        Assert.That(exit, Is.Zero, err);
        Assert.That(output, Does.Contain("Usage: build").And.Contain("Targets: "));
        Assert.That(err, Does.StartWith("warning: campaign.toml:1: does not parse"));

        asked = 0;
        Assert.That(Run(false, Broken, "--version").Exit, Is.Zero);
        Assert.That(asked, Is.Zero, "--version builds no graph");
        Assert.That(Run(false, Broken, "--target=After").Exit, Is.EqualTo(2), "a run needs the campaign: one error line");
    }

    [Test]
    public void Cake_configuration_reads_cake_config_the_environment_and_the_arguments()
    {
        var dir = Directory.CreateTempSubdirectory("ks-cakeconfig-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "cake.config"),
                "; ours and Cake's side by side\n[Board]\nHost = 10.1.2.3\n[Settings]\nShowProcessCommandLine = true\n[Paths]\nCache =\n");
            var arguments = HostArguments.Parse(["--settings_showprocesscommandline=false"]);
            Environment.SetEnvironmentVariable("CAKE_KERNELSOAK_TEST_KEY", "from CAKE_");
            var context = CakeContextFactory.Create(new NullLog(), arguments, dir);
            Environment.SetEnvironmentVariable("CAKE_KERNELSOAK_TEST_KEY", null);
            Assert.That(context.Configuration.GetValue("KernelSoak_Test_Key"), Is.EqualTo("from CAKE_"));
            Assert.That(context.Configuration.GetValue("Board_Host"), Is.EqualTo("10.1.2.3"));
            Assert.That(context.Configuration.GetValue("Paths_Cache"), Is.Empty);
            Assert.That(context.Configuration.GetValue("Settings_ShowProcessCommandLine"), Is.EqualTo("false"), "an argument wins over the file");
            Assert.That(CakeContextFactory.Create(new NullLog(), HostArguments.Parse([]), dir)
                .Configuration.GetValue("Settings_ShowProcessCommandLine"), Is.EqualTo("true"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private sealed class NullLog : ICakeLog
    {
        public Verbosity Verbosity { get; set; } = Verbosity.Quiet;
        public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args) { }
    }
}
