using KernelSoak.Steps;

namespace KernelSoak.Tests.Steps;

/// <summary>A probe's retries: the lab's trouble is retried up to infra_retries, nothing else is, and a cancelled run never is.</summary>
public class ProbeAttemptsTests
{
    private sealed class LinkLost() : Exception("link lost");

    private static bool IsInfra(Exception e) => e is LinkLost;

    private static async Task<(int Runs, List<(int Attempt, bool Retry)> Told, Exception? Thrown)> Run(int retries, Func<int, Exception?> failure, CancellationToken ct = default)
    {
        var runs = 0;
        var told = new List<(int, bool)>();
        try
        {
            await ProbeAttempts.RunAsync(() => failure(++runs) is { } e ? Task.FromException(e) : Task.CompletedTask, retries, IsInfra, (_, a, r) => told.Add((a, r)), ct);
            return (runs, told, null);
        }
        catch (Exception e) { return (runs, told, e); }
    }

    [Test]
    public async Task Infra_trouble_is_retried_and_the_probe_that_then_passes_is_done()
    {
        var (runs, told, thrown) = await Run(2, n => n < 3 ? new LinkLost() : null);
        Assert.That(thrown, Is.Null);
        Assert.That(runs, Is.EqualTo(3));
        Assert.That(told, Is.EqualTo(new[] { (1, true), (2, true) }));
    }

    [Test]
    public async Task Infra_trouble_past_the_retries_is_an_infra_error_naming_the_attempts()
    {
        var (runs, told, thrown) = await Run(1, _ => new LinkLost());
        Assert.That(runs, Is.EqualTo(2));
        Assert.That(told.Last(), Is.EqualTo((2, false)), "the last failure is told too, without a retry");
        Assert.That(thrown, Is.TypeOf<InfraRetriesExhaustedException>().And.Property("Attempts").EqualTo(2));
        Assert.That(thrown!.InnerException, Is.TypeOf<LinkLost>());
    }

    [Test]
    public async Task A_verdicts_failure_is_not_retried_and_goes_up_as_it_is()
    {
        var failure = new InvalidOperationException("the kernel did not build");
        var (runs, told, thrown) = await Run(3, _ => failure);
        Assert.That(runs, Is.EqualTo(1));
        Assert.That(told, Is.Empty);
        Assert.That(thrown, Is.SameAs(failure));
    }

    [Test]
    public async Task A_cancelled_run_is_never_retried()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var (runs, told, thrown) = await Run(3, _ => new LinkLost(), cancelled.Token);
        Assert.That(runs, Is.EqualTo(1));
        Assert.That(told, Is.Empty);
        Assert.That(thrown, Is.TypeOf<LinkLost>(), "the user stopped it: what the probe threw, unclassified");
    }
}
