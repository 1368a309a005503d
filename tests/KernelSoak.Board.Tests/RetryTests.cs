using KernelSoak.Boards.Qemu;

namespace KernelSoak.Board.Tests;

/// <summary>
/// A flaky bug needs repeated probes, and a long probe meets setup trouble: here the clean patch is probed
/// twice (series.attempts = 2, each attempt its own boot) and the board's network link is cut while the
/// first attempt's harvest runs (the emulator's set_link, as a cable pulled or a switch port bouncing).
/// The lost SSH is infrastructure trouble, not the patch's: journalled infra-error, the probe retried
/// from the harvest, and the verdict is clean only with both attempts passed.
/// </summary>
[TestFixture, NonParallelizable, Order(11)]
public class RetryTests
{
    private E2eCampaign _campaign = null!;

    [OneTimeSetUp]
    public void WriteCampaign() => _campaign = new E2eCampaign("e2e", text => E2eCampaign.BinaryOverTwoPatches(text)
        .Replace("attempts = 1", "attempts = 2\ninfra_retries = 3", StringComparison.Ordinal));

    [OneTimeTearDown]
    public void Remove() => _campaign.Dispose();

    private static void Link(string state)
    {
        TestContext.Progress.WriteLine($"== board link {state}");
        QemuMonitor.SendAsync(BoardFixture.Board.Files.MonitorSocket, $"set_link n0 {state}").GetAwaiter().GetResult();
    }

    [Test]
    public void A_link_lost_at_harvest_is_retried_as_infra_error_and_the_patch_passes_every_attempt()
    {
        try
        {
            var (exit, output) = _campaign.BuildWhen("step bisect/0001/attempt-1/harvest", () =>
            {
                Link("off");
                _ = Task.Delay(TimeSpan.FromSeconds(10)).ContinueWith(_ => Link("on"), TaskScheduler.Default);
            }, ["--target=Bisect0001", "--board-keep-alive-seconds=1", "--board-dead-peer-seconds=4", "--board-reconnect-seconds=2"]);
            Assert.That(exit, Is.Zero, "setup trouble that goes away is not a failed run");
            Assert.That(output, Does.Contain("infra-error in the probe of 0001").And.Contain("not the patch's fault; retrying the probe (1/3)"));
            Assert.That(output.Split("step bisect/0001/attempt-1/harvest:").Length - 1, Is.GreaterThanOrEqualTo(2), "the retry picks up at the step that failed");
            Assert.That(output, Does.Contain("skip bisect/0001/attempt-1/stress"), "the stress window that finished is not run again");
            Assert.That(output, Does.Contain("step bisect/0001/attempt-2/boot"), "the second attempt boots again");
            Assert.That(output, Does.Contain("0001 passed 2/2: clean for ").And.Contain("at 95 % confidence the report, if any, fires less often than once per "));
            Assert.That(_campaign.Verdict("0001"), Is.EqualTo("clean"));
            var journal = File.ReadAllText(Path.Combine(_campaign.Dir, "journal"));
            Assert.That(journal, Does.Contain("infra-error"), "the retry is journalled");
        }
        finally
        {
            Link("on"); // whatever happened, the next fixture gets a board that answers
        }
    }
}
