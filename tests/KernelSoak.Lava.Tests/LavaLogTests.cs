using KernelSoak.Lava.Logs;

namespace KernelSoak.Lava.Tests;

public class LavaLogTests
{
    [Test]
    public void Reads_a_real_complete_job_log()
    {
        var log = LavaLog.Parse(TestLogs.Read("complete-clean.yaml"));
        Assert.That(log.Entries, Has.Count.EqualTo(320));
        Assert.That(log.JobResult, Is.EqualTo(new LavaResult("lava", "job", "pass", null, null)));
        Assert.That(log.Results().Where(r => r.Definition == "0_kernelsoak-stress").Select(r => (r.Case, r.Result)), Is.EqualTo(new[] { ("stress", "pass") }));
        var console = log.ConsoleLines().Select(l => l.Text).ToList();
        Assert.That(console, Does.Contain("[    0.000000] Kernel command line: console=ttyAMA0,115200 root=/dev/vda rw rootwait init=/init"));
        Assert.That(console.Count(l => l.StartsWith("ks-exit=", StringComparison.Ordinal)), Is.EqualTo(12));
        Assert.That(console, Has.Some.StartsWith("/ # ks_t0="), "busybox's cursor query (ESC[6n) is gone from the prompt");
        Assert.That(log.ConsoleLines().All(l => l.Time is not null));
    }

    [Test]
    public void Undoes_LAVAs_escaping_of_double_quotes_in_the_console()
    {
        var log = LavaLog.Parse(TestLogs.Read("no-boot-root-panic.yaml"));
        Assert.That(log.ConsoleLines().Select(l => l.Text), Has.Some.EndsWith("VFS: Cannot open root device \"(null)\" or unknown-block(0,0): error -6"));
        Assert.That(log.JobResult!.ErrorType, Is.EqualTo("Job"));
        Assert.That(log.JobResult.ErrorMessage, Does.StartWith("[   25.886567] Kernel panic - not syncing: VFS: Unable to mount root fs"));
    }

    [Test]
    public void An_entry_in_plain_YAML_rather_than_JSON_is_read_too()
    {
        var log = LavaLog.Parse("- {dt: '2026-12-02T18:27:56.000000', lvl: target, msg: 'a: \"quoted\" line'}\n" +
                                "- {\"dt\": \"2026-12-02T18:27:57.000000\", \"lvl\": \"results\", \"msg\": {\"case\": \"job\", \"definition\": \"lava\", \"result\": \"pass\"}}\n");
        Assert.That(log.ConsoleLines().Single().Text, Is.EqualTo("a: \"quoted\" line"));
        Assert.That(log.JobResult!.Passed);
    }

    [Test]
    public void A_whole_YAML_document_in_block_style_is_read()
    {
        var log = LavaLog.Parse("""
            - dt: '2026-12-02T18:27:56.000000'
              lvl: target
              msg: hello
            - dt: '2026-12-02T18:27:57.000000'
              lvl: results
              msg: {case: job, definition: lava, result: fail, error_type: Infrastructure, error_msg: no power}
            """);
        Assert.That(log.ConsoleLines().Single().Text, Is.EqualTo("hello"));
        Assert.That(log.JobResult, Is.EqualTo(new LavaResult("lava", "job", "fail", "Infrastructure", "no power")));
    }

    [Test]
    public void Text_that_is_no_LAVA_log_is_an_error_not_an_empty_log()
    {
        Assert.That(() => LavaLog.Parse("<html>502 Bad Gateway</html>"), Throws.TypeOf<FormatException>());
        Assert.That(() => LavaLog.Parse("- {unclosed: [\n"), Throws.TypeOf<FormatException>());
        Assert.That(LavaLog.Parse("").Entries, Is.Empty);
    }
}
