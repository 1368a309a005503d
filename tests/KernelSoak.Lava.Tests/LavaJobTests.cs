using System.Diagnostics;
using KernelSoak.Lava.Api;
using KernelSoak.Lava.Jobs;
using KernelSoak.Soak;

namespace KernelSoak.Lava.Tests;

/// <summary>
/// Probes as jobs on the real LAVA of scripts/lava-local.sh: the emulated board's kernel under
/// qemu-system-aarch64 (TCG), one job at a time (the machine's two cores are shared).
/// </summary>
[NonParallelizable]
public class LavaJobTests
{
    private LocalLava _lava = null!;

    [OneTimeSetUp]
    public async Task Start() => _lava = await LocalLava.StartAsync();

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_lava is not null) await _lava.DisposeAsync();
    }

    /// <summary>Every job a test submitted: one left running by a failed test is cancelled, so no two guests ever run at once.</summary>
    private readonly List<int> _submitted = [];

    [TearDown]
    public async Task CancelLeftovers()
    {
        foreach (var id in _submitted)
            if (!(await _lava.Client.GetJobAsync(id)).IsFinished) await _lava.Client.CancelAsync(id);
        _submitted.Clear();
    }

    private LavaProbe Probe() => new(_lava.Client, LavaWaits.Default with { Poll = TimeSpan.FromSeconds(2) }, line => TestContext.Progress.WriteLine(line));

    [Test]
    public async Task Two_qemu_devices_on_the_worker_take_jobs()
    {
        var devices = await _lava.Client.GetDevicesAsync(LocalLava.Device);
        Assert.That(devices.Where(d => d.TakesJobs && d.Worker == "kernelsoak-worker").Select(d => d.Hostname), Is.SupersetOf(new[] { "qemu-01", "qemu-02" }));
    }

    [Test]
    public async Task A_host_killed_after_submitting_reattaches_to_its_job_and_gets_a_clean_verdict()
    {
        var job = _lava.Job("kernelsoak clean probe",
            new StressStep("uname-loop", "uname -r; cat /proc/loadavg; sleep 1", TimeSpan.FromSeconds(15)),
            new StressStep("meminfo", "cat /proc/meminfo >/dev/null; sleep 2", TimeSpan.FromSeconds(10)));
        var journal = new List<int>();
        var watch = Stopwatch.StartNew();
        using var killed = new CancellationTokenSource();
        // The host dies right after LAVA gave the id: the journal has it, the job runs on without us.
        Assert.That(async () => await Probe().RunAsync(job, id => { journal.Add(id); _submitted.Add(id); killed.Cancel(); }, [], new HashSet<string>(), killed.Token),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(journal, Has.Count.EqualTo(1));

        using var restarted = new LavaClient(_lava.Client.Server, LavaToken.FromFile("/var/lib/kernelsoak-lava/token"));
        var outcome = await new LavaProbe(restarted, LavaWaits.Default with { Poll = TimeSpan.FromSeconds(2) }, TestContext.Progress.WriteLine)
            .FollowAsync(journal[0], job, [], new HashSet<string>());
        TestContext.Progress.WriteLine($"LAVA job {journal[0]}: {outcome.Verdict} in {watch.Elapsed.TotalSeconds:0} s (LAVA: {outcome.Seconds:0} s)");
        Assert.That(outcome.Verdict, Is.EqualTo(Verdicts.Clean), outcome.Note);
        Assert.That(outcome.Stress.Select(s => s.Profile), Is.EqualTo(new[] { "uname-loop", "meminfo" }));
        Assert.That(outcome.Stress.Select(s => s.Iterations), Is.All.GreaterThanOrEqualTo(3));
        Assert.That(outcome.Stress.Select(s => s.NonZeroExits), Is.All.Zero);
        Assert.That(outcome.StressSeconds, Is.LessThan(22), "both ran at once (15 s and 10 s)");
        Assert.That(_lava.Server.Served, Is.GreaterThanOrEqualTo(2), "the dispatcher downloaded the kernel and the root disk from our server");
        var log = Logs.LavaLog.Parse(await restarted.GetLogAsync(journal[0]));
        Assert.That(log.ConsoleLines().Select(l => l.Text), Has.Some.Contains($"Linux version {_lava.KernelRelease}"), "the board's own kernel booted");
    }

    [Test]
    public async Task A_kernel_warning_during_the_stress_is_a_report_verdict()
    {
        var job = _lava.Job("kernelsoak lkdtm probe", new StressStep("lkdtm-warning",
            "[ -e /sys/kernel/debug/provoke-crash ] || { insmod /root/lkdtm.ko; mount -t debugfs none /sys/kernel/debug; }; echo WARNING > /sys/kernel/debug/provoke-crash/DIRECT; sleep 2",
            TimeSpan.FromSeconds(6)));
        var outcome = await Probe().RunAsync(job, _submitted.Add, [], new HashSet<string>());
        Assert.That(outcome.Verdict, Is.EqualTo(Verdicts.Report), outcome.Note);
        Assert.That(outcome.Reports.Select(r => r.Title), Is.EqualTo(new[] { "WARNING in lkdtm_WARNING" }));
        Assert.That(outcome.Timeline, Is.Not.Empty);
    }

    [Test]
    public async Task A_job_whose_kernel_cannot_be_downloaded_is_infra_error()
    {
        var job = LavaJob.Create("kernelsoak missing kernel", LocalLava.Device, QemuMachine.Arm64Virt(),
            _lava.Images with { Kernel = new Uri(_lava.Images.Kernel, "not-published") }, ["console=ttyAMA0"], "/ # ", [], JobTimeouts.ForTcg);
        var outcome = await Probe().RunAsync(job, _submitted.Add, [], new HashSet<string>());
        Assert.That(outcome.Verdict, Is.EqualTo(Verdicts.InfraError));
        Assert.That(outcome.Note, Does.Contain("not-published"));
    }

    [Test]
    public async Task A_job_cancelled_in_LAVA_is_infra_error()
    {
        var job = _lava.Job("kernelsoak cancelled probe", new StressStep("idle", "sleep 1", TimeSpan.FromSeconds(5)));
        var id = await _lava.Client.SubmitAsync(JobYaml.Render(job));
        _submitted.Add(id);
        // Cancelled while it runs, as a lab admin would: a cancel in the instant after submission can be lost
        // to LAVA 2023.01's scheduler saving the job as scheduled over it (seen here once).
        var watch = Stopwatch.StartNew();
        while ((await _lava.Client.GetJobAsync(id)).State != LavaJobState.Running && watch.Elapsed < TimeSpan.FromMinutes(2))
            await Task.Delay(500);
        await _lava.Client.CancelAsync(id);
        var outcome = await Probe().FollowAsync(id, job, [], new HashSet<string>());
        Assert.That(outcome.Verdict, Is.EqualTo(Verdicts.InfraError));
        Assert.That(outcome.Note, Does.Contain("cancelled"));
    }
}
