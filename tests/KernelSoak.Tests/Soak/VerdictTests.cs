using KernelSoak.Campaigns;
using KernelSoak.Soak;

namespace KernelSoak.Tests.Soak;

/// <summary>Verdicts as a type, with the words every file written so far holds; the exit rules and the soak's exit decided on the type.</summary>
public class VerdictTests
{
    [Test]
    public void Every_verdict_has_its_word_and_reads_back()
    {
        foreach (var verdict in Enum.GetValues<Verdict>())
            Assert.That(VerdictWords.Parse(VerdictWords.Of(verdict)), Is.EqualTo(verdict));
        Assert.That(VerdictWords.Of(Verdict.NoBoot), Is.EqualTo("no-boot"), "the spelling of verdict.json, probe.json and the journal");
        Assert.That(VerdictWords.Of(Verdict.InfraError), Is.EqualTo("infra-error"));
        Assert.That(VerdictWords.TryParse("stranded"), Is.Null);
        Assert.That(() => VerdictWords.Parse("NoBoot"), Throws.InstanceOf<FormatException>().With.Message.Contains("no-boot"));
    }

    [Test]
    public void A_verdict_json_written_by_earlier_runs_reads_as_its_type()
    {
        var dir = Directory.CreateTempSubdirectory("ks-verdict-").FullName;
        File.WriteAllText(Path.Combine(dir, "verdict.json"), """
            { "verdict": "no-boot", "reports": [], "pre_existing": [], "suppressed": [], "stress": [], "note": "panic at boot", "seconds": 0, "stress_seconds": 0, "timeline": [] }
            """);
        var read = new ProbeFiles(dir).Verdict()!;
        Assert.Multiple(() =>
        {
            Assert.That(read.Kind, Is.EqualTo(Verdict.NoBoot));
            Assert.That(read.Note, Is.EqualTo("panic at boot"));
            Assert.That(new ProbeFiles(dir).Window(), Is.Null, "no window ran");
        });
        Directory.Delete(dir, true);
    }

    [Test]
    public void Probe_files_write_the_word_and_no_derived_fields()
    {
        var dir = Path.Combine(Directory.CreateTempSubdirectory("ks-verdict-").FullName, "bisect", "0001");
        var files = new ProbeFiles(dir);
        files.WriteWindowAsync(ProbeOutcome.NoBoot("did not come up"), CancellationToken.None).GetAwaiter().GetResult();
        var text = File.ReadAllText(files.WindowPath);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("\"verdict\": \"no-boot\""));
            Assert.That(text, Does.Not.Contain("kind").And.Not.Contain("board_stopped_answering"));
            Assert.That(files.WindowOutputs("no-boot"), Is.EqualTo(new Dictionary<string, string> { ["verdict"] = "no-boot", ["probe"] = files.WindowPath }));
            Assert.That(files.VerdictOutputs("clean")["dir"], Is.EqualTo(dir));
        });
    }

    [TestCase(Verdict.Clean, null, false)]
    [TestCase(Verdict.Wedge, "no heartbeat for 60 s", true)]
    [TestCase(Verdict.Report, "no heartbeat for 60 s", true)] // a panic over netconsole: the board is just as dead
    [TestCase(Verdict.Report, null, false)]
    public void A_window_that_lost_the_board_asks_for_a_power_cycle(Verdict verdict, string? note, bool cycle) =>
        Assert.That(new ProbeOutcome(VerdictWords.Of(verdict), [], [], [], [], note, 10).BoardStoppedAnswering, Is.EqualTo(cycle));

    private static readonly List<ExitRule> Rules =
    [
        new() { When = ExitTrigger.Report, Outcome = ExitOutcome.Failure, Action = "bisect it" },
        new() { When = ExitTrigger.Clean, Outcome = ExitOutcome.Success, Action = "ship it" },
    ];

    [Test]
    public void Exit_rules_by_verdict()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ExitRules.Apply(Rules, Verdict.Report), Is.EqualTo(("Failure", "bisect it")));
            Assert.That(ExitRules.Apply(Rules, Verdict.Clean), Is.EqualTo(("Success", "ship it")));
            Assert.That(ExitRules.Apply(Rules, Verdict.Wedge), Is.EqualTo(("wedge", "no exit rule for this verdict in the campaign")));
            Assert.That(ExitRules.Apply([], Verdict.NoBoot), Is.EqualTo(("no-boot", "no exit rule for this verdict in the campaign")));
            Assert.That(ExitRules.Apply(Rules, Verdict.BuildFailed), Is.EqualTo(("Success", "ship it")), "as before: verdicts without a trigger fall under the clean rule");
        });
    }

    [Test]
    public void Only_a_clean_soak_passes_and_it_states_what_it_rules_out()
    {
        var clean = new ProbeOutcome(Verdicts.Clean, [], [], [], [], null, 70) { StressSeconds = 60 };
        var report = new ProbeOutcome(Verdicts.Report, [new ReportSummary("WARNING", "WARNING in foo", "foo", "ssh", 1, "WARNING: …", "…")], [], [], [], null, 70);
        var cleanRecord = SoakVerdict.Record(clean, "/a/soak", 0.05);
        var reportRecord = SoakVerdict.Record(report, "/a/soak", 0.05);
        Assert.Multiple(() =>
        {
            Assert.That(SoakVerdict.Failure(clean), Is.Null);
            Assert.That(SoakVerdict.Failure(report), Is.EqualTo("the soak is not clean: report: WARNING in foo"));
            Assert.That(SoakVerdict.Failure(clean with { Verdict = Verdicts.Wedge }), Is.EqualTo("the soak is not clean: wedge"));
            Assert.That(cleanRecord.Confidence, Does.StartWith("clean for"));
            Assert.That(cleanRecord.RulesOutIntervalS, Is.EqualTo(20.0).Within(0.1));
            Assert.That(reportRecord.Confidence, Is.Null);
            Assert.That(SoakVerdict.Line(reportRecord, new HashSet<string>()), Is.EqualTo("soak: report (WARNING in foo [NEW])"));
            Assert.That(SoakVerdict.Line(reportRecord, new HashSet<string> { "WARNING in foo" }), Is.EqualTo("soak: report (WARNING in foo)"));
        });
    }
}
