using KernelSoak.Steps;

namespace KernelSoak.Tests.Steps;

/// <summary>The rule behind infra-error retries: the host's setup failure types, wrapped or not, and a full disk.</summary>
public class InfraTroubleRuleTests
{
    private sealed class LabDown(string m) : Exception(m);
    private sealed class LabLinkLost(string m) : Exception(m);

    private static readonly InfraTroubleRule Rule = new([typeof(LabDown), typeof(LabLinkLost)]);

    [Test]
    public void Setup_failures_are_found_wrapped_and_aggregated()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Rule.Is(new LabDown("x")), Is.True);
            Assert.That(Rule.Is(new InvalidOperationException("step failed", new InvalidOperationException("copy", new LabLinkLost("reset")))), Is.True);
            Assert.That(Rule.Is(new AggregateException(new TimeoutException(), new LabDown("x"))), Is.True);
            Assert.That(Rule.Is(new IOException("No space left on device : '/artifacts/x'")), Is.True);
        });
    }

    [Test]
    public void Anything_else_is_the_kernels_or_the_users()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Rule.Is(new IOException("Permission denied")), Is.False);
            Assert.That(Rule.Is(new AggregateException(new TimeoutException())), Is.False);
            Assert.That(Rule.Is(new InvalidOperationException("smoke test failed")), Is.False);
            Assert.That(new InfraTroubleRule([]).Is(new LabDown("x")), Is.False, "only the types the host names");
        });
    }
}
