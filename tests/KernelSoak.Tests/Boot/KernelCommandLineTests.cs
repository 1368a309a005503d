using KernelSoak.Boot;

namespace KernelSoak.Tests.Boot;

/// <summary>The kernel command line as the kernel reads it: the panic reboot that brings a dead test kernel back.</summary>
public class KernelCommandLineTests
{
    [TestCase("console=ttyAMA0 root=/dev/vdb panic=5", 5)]
    [TestCase("panic=0 quiet panic=10", 10, TestName = "the last panic= wins, as the kernel parses them in order")]
    [TestCase("panic=-1", -1)]
    [TestCase("oops=panic panic_on_warn=1 root=/dev/vdb", null, TestName = "oops=panic and panic_on_warn are other parameters")]
    [TestCase("root=/dev/vdb -- panic=5", null, TestName = "after a lone -- the words are init's, not the kernel's")]
    [TestCase("dyndbg=\"file x.c panic=5 +p\" root=/dev/vdb", null, TestName = "panic= inside a quoted value is part of that value")]
    [TestCase("panic=soon", null)]
    [TestCase("", null)]
    public void Panic_seconds_are_read_as_the_kernel_reads_them(string cmdline, int? seconds) =>
        Assert.That(KernelCommandLine.PanicSeconds(cmdline), Is.EqualTo(seconds));

    [TestCase("panic=5", true)]
    [TestCase("panic=-1", true, TestName = "a negative timeout reboots at once")]
    [TestCase("panic=0", false, TestName = "panic=0 waits forever")]
    [TestCase("root=/dev/vdb", false)]
    public void A_panic_reboots_for_any_non_zero_timeout(string cmdline, bool reboots) =>
        Assert.That(KernelCommandLine.PanicReboots(cmdline), Is.EqualTo(reboots));

    [TestCase("console=ttyAMA0 root=/dev/vdb", "console=ttyAMA0 root=/dev/vdb panic=5")]
    [TestCase("root=/dev/vdb panic=10", "root=/dev/vdb panic=10", TestName = "a command line that already reboots is kept as it is")]
    [TestCase("root=/dev/vdb panic=0 quiet", "root=/dev/vdb panic=0 quiet panic=5", TestName = "panic=0 is overridden by a later panic=5")]
    [TestCase("root=/dev/vdb -- single", "root=/dev/vdb panic=5 -- single", TestName = "added before init's arguments")]
    [TestCase("", "panic=5")]
    public void Panic_reboot_is_added_where_the_kernel_takes_it(string cmdline, string expected)
    {
        var with = KernelCommandLine.WithPanicReboot(cmdline, 5);
        Assert.That(with, Is.EqualTo(expected));
        Assert.That(KernelCommandLine.PanicReboots(with));
    }

    [Test]
    public void Words_split_at_spaces_outside_quotes() =>
        Assert.That(KernelCommandLine.Words("  a=1\tb=\"x y\"  c "), Is.EqualTo(new[] { "a=1", "b=\"x y\"", "c" }));

    [Test]
    public void A_panic_reboot_needs_a_timeout_above_zero() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelCommandLine.WithPanicReboot("root=/dev/vdb", 0));
}
