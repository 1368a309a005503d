using KernelSoak.Journal;

namespace KernelSoak.Tests.Journal;

public class FingerprintTests
{
    [Test]
    public void Parts_are_delimited() => Assert.That(Fingerprint.Of("ab", "c"), Is.Not.EqualTo(Fingerprint.Of("a", "bc")));

    [Test]
    public void Same_inputs_same_fingerprint() => Assert.That(Fingerprint.Of("x", "y"), Is.EqualTo(Fingerprint.Of("x", "y")));
}
