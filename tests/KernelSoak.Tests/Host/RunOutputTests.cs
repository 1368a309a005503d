using Cake.Core.Diagnostics;
using KernelSoak.Build;
using KernelSoak.Processes;

namespace KernelSoak.Tests.Host;

/// <summary>run.log is its owner's only, and credentials in any logged line are masked, on the console too.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class RunOutputTests
{
    private string _dir = null!;

    [SetUp]
    public void MakeDir() => _dir = Directory.CreateTempSubdirectory("ks-runlog-").FullName;

    [TearDown]
    public void Remove() => Directory.Delete(_dir, recursive: true);

    private sealed class ConsoleLog : ICakeLog
    {
        public List<string> Lines { get; } = [];
        public Verbosity Verbosity { get; set; } = Verbosity.Diagnostic;
        public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args) =>
            Lines.Add(args.Length == 0 ? format : string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
    }

    [Test]
    public void A_power_command_with_credentials_is_masked_in_run_log_and_on_the_console()
    {
        var console = new ConsoleLog();
        var runLog = Path.Combine(_dir, "log", "run.log");
        var output = new RunOutput(console, runLog);
        output.Started(CommandLine.Of("sh", "-c",
            "curl -u admin:Secret123 -H 'Authorization: Bearer abc.def' 'http://pdu/outlet?password=hunter2&token=t0k3n&n=1' http://root:rootpw@plug/"));
        output.Warn("relay said: login failed for --user=admin:Secret123");

        var written = File.ReadAllText(runLog);
        foreach (var text in new[] { written, string.Join('\n', console.Lines) })
        {
            Assert.That(text, Does.Not.Contain("Secret123").And.Not.Contain("abc.def").And.Not.Contain("hunter2").And.Not.Contain("t0k3n").And.Not.Contain("rootpw"));
            Assert.That(text, Does.Contain("admin:***").And.Contain("password=***&token=***&n=1").And.Contain("root:***@plug"));
        }
        Assert.That(File.GetUnixFileMode(runLog), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public void A_run_log_an_older_version_left_world_readable_becomes_private()
    {
        var runLog = Path.Combine(_dir, "run.log");
        File.WriteAllText(runLog, "before\n");
        File.SetUnixFileMode(runLog, (UnixFileMode)0b110_100_100);
        new RunOutput(new ConsoleLog(), runLog).Info("after");
        Assert.That(File.GetUnixFileMode(runLog), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(File.ReadAllLines(runLog), Has.Length.EqualTo(2));
    }

    [TestCase("curl -u admin:Secret http://pdu/", "curl -u admin:*** http://pdu/")]
    [TestCase("curl -uadmin:Secret http://pdu/", "curl -uadmin:*** http://pdu/")]
    [TestCase("curl --user 'admin:Se cret' x", "curl --user 'admin:***' x")]
    [TestCase("pdu --password \"two words\" on", "pdu --password \"***\" on")]
    [TestCase("wget --password hunter2 x", "wget --password *** x")]
    [TestCase("tplink --token=abc x", "tplink --token=*** x")]
    [TestCase("build.sh --lava-token=abc123 --lava-token-file=/etc/t", "build.sh --lava-token=*** --lava-token-file=/etc/t")]
    [TestCase("curl -H \"Authorization: Basic YWRtaW46cHc=\" x", "curl -H \"Authorization: Basic ***\" x")]
    [TestCase("curl -u \"admin:{secret:PDU_PASSWORD}\" x", "curl -u \"admin:{secret:PDU_PASSWORD}\" x")]
    [TestCase("plug token={secret:PLUG_TOKEN}", "plug token={secret:PLUG_TOKEN}")]
    [TestCase("sort -u file.txt", "sort -u file.txt")]
    [TestCase("mkdir -p /boot/firmware", "mkdir -p /boot/firmware")]
    [TestCase("ssh -o User=root board", "ssh -o User=root board")]
    public void Mask_keeps_what_is_no_credential(string line, string expected) =>
        Assert.That(LogMask.Redact(line), Is.EqualTo(expected));

    [Test]
    public void A_hidden_secret_is_masked_wherever_it_shows()
    {
        LogMask.Hide("tok3nFromAFile");
        Assert.That(LogMask.Redact("LAVA said: bad header Token tok3nFromAFile; body {\"k\":\"tok3nFromAFile\"}"), Does.Not.Contain("tok3nFromAFile"));
        Assert.That(LogMask.Redact("an ordinary line"), Is.EqualTo("an ordinary line"));
    }
}
