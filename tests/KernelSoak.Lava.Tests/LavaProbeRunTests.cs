using KernelSoak.Journal;
using KernelSoak.Lava.Farm;
using KernelSoak.Settings;
using KernelSoak.Soak;

namespace KernelSoak.Lava.Tests;

/// <summary>
/// A probe's LAVA step against <see cref="FakeLava"/>: the job id is in the journal before the job is followed,
/// a restarted host follows the journalled job without submitting, and a cancelled job is no verdict.
/// </summary>
public class LavaProbeRunTests
{
    private const string Step = "bisect/0001/lava";
    private string _dir = "";
    private LavaSettings _settings = null!;
    private LavaProbeRequest _request = null!;

    [SetUp]
    public void Prepare()
    {
        _dir = Directory.CreateTempSubdirectory("ks-lavarun-").FullName;
        var image = Path.Combine(_dir, "Image");
        File.WriteAllText(image, "kernel");
        _settings = new LavaSettings { Server = "http://lava.test:8000", Token = FakeLava.Token, PollSeconds = 1 };
        _request = new LavaProbeRequest(Step, "fp-1", "kernelsoak e2e bisect/0001", "arm64", image, ["kasan_multi_shot"],
            [new StressCommand("uname-loop", "uname -r; cat /proc/loadavg; sleep 1", TimeSpan.FromSeconds(15)),
             new StressCommand("meminfo", "cat /proc/meminfo >/dev/null; sleep 2", TimeSpan.FromSeconds(10))],
            [], new HashSet<string>());
    }

    [TearDown]
    public void Remove() => Directory.Delete(_dir, recursive: true);

    private RunJournal Journal() => RunJournal.Open(Path.Combine(_dir, "journal"));

    private static Task<ProbeOutcome> Run(LavaSettings settings, RunJournal journal, FakeLava lava, LavaProbeRequest request, string dir, List<string>? said = null) =>
        new LavaProbeRun(settings, journal, line => said?.Add(line), lava).RunAsync(request, dir);

    [Test]
    public async Task The_job_id_is_journalled_before_the_job_is_followed_and_the_log_classified()
    {
        using var journal = Journal();
        journal.Begin(Step, "fp-1");
        var noteBeforeFirstRead = false;
        var lava = new FakeLava
        {
            OnRequest = line =>
            {
                if (line.EndsWith($"/jobs/{FakeLava.JobId}/", StringComparison.Ordinal) && !noteBeforeFirstRead)
                    noteBeforeFirstRead = journal.Entries.Any(e => e.Step == Step && e.NoteKind == NoteKind.LavaJobSubmitted && e.Outputs!["job_id"] == "7");
            },
            States = [("Submitted", "Unknown"), ("Running", "Unknown"), ("Finished", "Complete")],
        };
        var outcome = await Run(_settings, journal, lava, _request, _dir);
        Assert.That(noteBeforeFirstRead, Is.True, "the note was written before the first reading of the job");
        Assert.That(outcome.Verdict, Is.EqualTo(Verdicts.Clean));
        Assert.That(lava.Requests.Count(r => r.StartsWith("POST", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(File.ReadAllText(Path.Combine(_dir, "lava-job.yaml")), Does.Contain("ks-exit="), "the job's log is kept with the probe");
    }

    [Test]
    public async Task A_restarted_host_follows_the_journalled_job_and_submits_nothing()
    {
        using (var killed = Journal())
        {
            killed.Begin(Step, "fp-1");
            killed.Note(Step, NoteKind.LavaJobSubmitted, LavaResume.NoteOutputs(FakeLava.JobId, "fp-1", 0));
        }
        using var journal = Journal();
        journal.Begin(Step, "fp-1");
        var lava = new FakeLava();
        var said = new List<string>();
        var outcome = await Run(_settings, journal, lava, _request, _dir, said);
        Assert.That(outcome.Verdict, Is.EqualTo(Verdicts.Clean));
        Assert.That(lava.Requests, Has.None.StartsWith("POST"), "no second job");
        Assert.That(said, Has.Some.Contains($"reattaching to LAVA job {FakeLava.JobId}"));
    }

    [Test]
    public void A_cancelled_job_is_infra_error_thrown_never_a_verdict()
    {
        using var journal = Journal();
        var lava = new FakeLava { States = [("Finished", "Canceled")] };
        var e = Assert.ThrowsAsync<LavaInfraException>(() => Run(_settings, journal, lava, _request, _dir));
        Assert.That(e!.Outcome.Verdict, Is.EqualTo(Verdicts.InfraError));
        Assert.That(e.Message, Does.Contain("cancelled"));
        Assert.That(lava.Requests, Has.Some.EndsWith($"/jobs/{FakeLava.JobId}/cancel/"), "a retry's new job never runs beside the old one");
    }

    [Test]
    public void Ctrl_C_while_the_job_runs_cancels_the_job_with_the_step()
    {
        using var journal = Journal();
        using var interrupt = new CancellationTokenSource();
        var lava = new FakeLava
        {
            States = [("Running", "Unknown")],
            OnRequest = line => { if (line.EndsWith($"/jobs/{FakeLava.JobId}/", StringComparison.Ordinal)) interrupt.Cancel(); },
        };
        Assert.CatchAsync<OperationCanceledException>(() => new LavaProbeRun(_settings, journal, _ => { }, lava).RunAsync(_request, _dir, interrupt.Token));
        Assert.That(lava.Requests, Has.Some.EndsWith($"/jobs/{FakeLava.JobId}/cancel/"));
    }

    [Test]
    public void A_refused_token_is_infra_error_and_the_token_shows_nowhere()
    {
        using var journal = Journal();
        var lava = new FakeLava { Status = System.Net.HttpStatusCode.Unauthorized };
        var e = Assert.ThrowsAsync<LavaInfraException>(() => Run(_settings, journal, lava, _request, _dir));
        Assert.That(e!.Message, Does.Contain("token was refused").And.Not.Contain(FakeLava.Token));
        Assert.That(journal.Entries, Has.None.Matches<JournalEntry>(x => x.NoteKind == NoteKind.LavaJobSubmitted), "nothing was submitted");
    }

    [Test]
    public async Task Preflight_passes_with_a_device_that_takes_jobs()
    {
        var checks = await LavaPreflight.CheckAsync(_settings, _request, new FakeLava());
        Assert.That(checks.Where(c => !c.Passed), Is.Empty, string.Join("\n", checks));
        Assert.That(checks.Select(c => c.Name), Is.EqualTo(new[] { "lava-server", "device-type", "artifacts", "job" }));
    }

    [Test]
    public async Task Preflight_fails_when_every_device_of_the_type_is_offline()
    {
        var lava = new FakeLava { Devices = [("qemu-01", "Maintenance"), ("qemu-02", "Bad")] };
        var check = (await LavaPreflight.CheckAsync(_settings, _request, lava)).Single(c => c.Name == "device-type");
        Assert.That(check.Passed, Is.False);
        Assert.That(check.Detail, Does.Contain("no device takes jobs").And.Contain("qemu-01 Idle/Maintenance"));
    }

    [Test]
    public async Task Preflight_names_a_kernel_argument_LAVA_could_not_take_and_a_missing_root_disk()
    {
        var bad = _request with { AppendExtra = ["panic=1;reboot"] };
        var check = (await LavaPreflight.CheckAsync(_settings, bad, new FakeLava())).Single(c => c.Name == "job");
        Assert.That(check is { Passed: false, Detail: var d } && d.Contains("panic=1;reboot"), Is.True, check.Detail);
        var noDisk = new LavaSettings { Server = _settings.Server, Token = FakeLava.Token, RootDisk = Path.Combine(_dir, "none.img") };
        check = (await LavaPreflight.CheckAsync(noDisk, _request, new FakeLava())).Single(c => c.Name == "job");
        Assert.That(check.Passed, Is.False);
        Assert.That(check.Detail, Does.Contain("none.img"));
    }

    [Test]
    public void The_job_is_the_settings_command_line_then_the_campaign_s()
    {
        var job = LavaFarm.Job(_settings, _request, new Jobs.JobImages(new Uri("http://127.0.0.1:1/Image")));
        Assert.That(job.KernelArguments, Is.EqualTo(new[] { "console=ttyAMA0,115200", "root=/dev/vda", "rw", "rootwait", "init=/init", "kasan_multi_shot" }));
        Assert.That(job.Stress.Select(s => s.Name), Is.EqualTo(new[] { "uname-loop", "meminfo" }));
        Assert.Throws<ArgumentException>(() => LavaFarm.Job(_settings, _request with { Arch = "riscv" }, new Jobs.JobImages(new Uri("http://127.0.0.1:1/Image"))));
    }

    [Test]
    public void Exactly_one_token_source_and_the_token_never_in_the_inputs()
    {
        Assert.Throws<SettingsException>(() => LavaFarm.Token(new LavaSettings()), "no token");
        Assert.Throws<SettingsException>(() => LavaFarm.Token(new LavaSettings { Token = "a1b2c3d4", TokenFile = "/etc/token" }), "two");
        var open = Path.Combine(_dir, "token");
        File.WriteAllText(open, "a1b2c3d4");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(open, (UnixFileMode)0b100_100_100);
        Assert.That(Assert.Throws<SettingsException>(() => LavaFarm.Token(new LavaSettings { TokenFile = open }))!.Message, Does.Contain("chmod 600"));
        var a = LavaFarm.Inputs(new LavaSettings { Token = "one11111", PollSeconds = 5 });
        Assert.That(LavaFarm.Inputs(new LavaSettings { Token = "two22222", PollSeconds = 9 }), Is.EqualTo(a), "a new token or poll interval still reattaches");
        Assert.That(LavaFarm.Inputs(new LavaSettings { DeviceType = "rk3588" }), Is.Not.EqualTo(a));
    }
}
