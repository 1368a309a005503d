using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using KernelSoak.Soak;

namespace KernelSoak.Tests.Soak;

/// <summary>junit.xml as CI servers read it: valid against the JUnit schema, one case per probe, a failure per bad verdict.</summary>
public class JunitTests
{
    private static readonly ReportSummary Uaf = new("KASAN", "KASAN: use-after-free Read in lkdtm_WARNING_MESSAGE", "lkdtm_WARNING_MESSAGE", "ssh,netconsole", 1,
        "BUG: KASAN: use-after-free in lkdtm_WARNING_MESSAGE+0x5c/0x90", "BUG: KASAN: use-after-free in lkdtm_WARNING_MESSAGE+0x5c/0x90\n<& \"chars\" that need escaping>");

    /// <summary>The file, after checking it against the JUnit schema.</summary>
    private static XDocument LoadValid(string path)
    {
        var schemas = new XmlSchemaSet();
        schemas.Add("", Path.Combine(TestContext.CurrentContext.TestDirectory, "testdata", "junit", "junit-10.xsd"));
        var errors = new List<string>();
        var junit = XDocument.Load(path);
        junit.Validate(schemas, (_, e) => errors.Add($"{e.Severity}: {e.Message}"));
        Assert.That(errors, Is.Empty);
        return junit;
    }

    [Test]
    public void Junit_xml_validates_against_the_schema_with_a_case_per_probe()
    {
        var dir = Directory.CreateTempSubdirectory("ks-junit-").FullName;
        ResultsWriter.Write(dir, "qemu-bisect", [
            new ProbeRecord("0001", 1, Verdicts.Clean, [], [], dir, 61.5, null),
            new ProbeRecord("0002", 1, Verdicts.Report, [Uaf], [], dir, 63.25, null),
            new ProbeRecord("0003", 1, Verdicts.NoBoot, [], [], dir, 0, "6.1.192-ks did not come up"),
        ], new HashSet<string>(), "Success", "read summary.md");

        var junit = LoadValid(Path.Combine(dir, "junit.xml"));

        var suite = junit.Root!.Element("testsuite")!;
        Assert.That((suite.Attribute("tests")!.Value, suite.Attribute("failures")!.Value), Is.EqualTo(("3", "2")));
        var failures = suite.Elements("testcase").Select(c => (c.Attribute("name")!.Value, c.Element("failure")?.Attribute("message")?.Value)).ToList();
        Assert.That(failures, Is.EqualTo(new (string, string?)[]
        {
            ("0001#1", null),
            ("0002#1", "KASAN: use-after-free Read in lkdtm_WARNING_MESSAGE"),
            ("0003#1", "6.1.192-ks did not come up"),
        }));
        Assert.That(suite.Elements("testcase").ElementAt(1).Element("failure")!.Value, Does.Contain("<& \"chars\" that need escaping>"));
        Directory.Delete(dir, true);
    }

    [Test]
    public void Clean_verdicts_carry_their_rate_bound_and_the_series_answer_its_probability_of_being_wrong_everywhere()
    {
        var dir = Directory.CreateTempSubdirectory("ks-junit-").FullName;
        const string bound = "clean for 20 s: at 95 % confidence the report, if any, fires less often than once per 6.7 s";
        ResultsWriter.Write(dir, "qemu-bisect", [
            new ProbeRecord("0001", 1, Verdicts.Clean, [], [], dir, 20, null) { Confidence = bound, RulesOutIntervalS = 6.7 },
            new ProbeRecord("0002", 1, Verdicts.ApplyFailed, [], [], dir, 0, "patch does not apply"),
            new ProbeRecord("0003", 1, Verdicts.Report, [Uaf], [], dir, 31.5, null),
        ], new HashSet<string>(), "Success: first bad patch 0003 (report)", "read summary.md",
            series: new SeriesOutcome("first bad patch one of 0002…0003 (0002: apply-failed cannot be tested), 0001 clean; probability that this answer is wrong: 4 %", "0003", 0.04));

        var summary = File.ReadAllText(Path.Combine(dir, "summary.md"));
        Assert.That(summary, Does.Contain($"| 0001 | 1 | clean |  | 20 | {bound} |"));
        Assert.That(summary, Does.Contain("Series answer: first bad patch one of 0002…0003").And.Contain("wrong: 4 %"));
        Assert.That(summary, Does.Contain("| 0003 | 1 | report | KASAN: use-after-free Read in lkdtm_WARNING_MESSAGE | 32 |"), "real seconds, not 0");
        var json = File.ReadAllText(Path.Combine(dir, "results.json"));
        Assert.That(json, Does.Contain("\"rules_out_interval_s\": 6.7").And.Contain("\"probability_wrong\": 0.04").And.Contain("\"first_bad\": \"0003\""));

        var junit = LoadValid(Path.Combine(dir, "junit.xml"));
        var suite = junit.Root!.Element("testsuite")!;
        Assert.That((suite.Attribute("failures")!.Value, suite.Attribute("skipped")!.Value), Is.EqualTo(("1", "1")), "an untestable patch is skipped, not failed");
        Assert.That(suite.Elements("testcase").First().Element("system-out")!.Value, Is.EqualTo(bound));
        var properties = suite.Element("properties")!.Elements("property").ToDictionary(p => p.Attribute("name")!.Value, p => p.Attribute("value")!.Value);
        Assert.That((properties["first_bad_patch"], properties["probability_wrong"]), Is.EqualTo(("0003", "0.0400")));
        Directory.Delete(dir, true);
    }

    [Test]
    public void The_schema_rejects_what_ci_would_reject()
    {
        var schemas = new XmlSchemaSet();
        schemas.Add("", Path.Combine(TestContext.CurrentContext.TestDirectory, "testdata", "junit", "junit-10.xsd"));
        var errors = new List<string>();
        XDocument.Parse("<testsuites><testsuite name=\"x\" tests=\"one\"><testcase/></testsuite></testsuites>")
            .Validate(schemas, (_, e) => errors.Add(e.Message));
        Assert.That(errors, Has.Count.GreaterThanOrEqualTo(2), "a non-numeric count and a case without a name");
    }
}
