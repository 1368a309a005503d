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

    [Test]
    public void Junit_xml_validates_against_the_schema_with_a_case_per_probe()
    {
        var dir = Directory.CreateTempSubdirectory("ks-junit-").FullName;
        ResultsWriter.Write(dir, "qemu-bisect", [
            new ProbeRecord("0001", 1, Verdicts.Clean, [], [], dir, 61.5, null),
            new ProbeRecord("0002", 1, Verdicts.Report, [Uaf], [], dir, 63.25, null),
            new ProbeRecord("0003", 1, Verdicts.NoBoot, [], [], dir, 0, "6.1.192-ks did not come up"),
        ], new HashSet<string>(), "Success", "read summary.md");

        var schemas = new XmlSchemaSet();
        schemas.Add("", Path.Combine(TestContext.CurrentContext.TestDirectory, "testdata", "junit", "junit-10.xsd"));
        var errors = new List<string>();
        var junit = XDocument.Load(Path.Combine(dir, "junit.xml"));
        junit.Validate(schemas, (_, e) => errors.Add($"{e.Severity}: {e.Message}"));
        Assert.That(errors, Is.Empty);

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
