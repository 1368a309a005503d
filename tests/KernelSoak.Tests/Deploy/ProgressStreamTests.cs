using KernelSoak.Deploy;

namespace KernelSoak.Tests.Deploy;

public class ProgressStreamTests
{
    [Test]
    public void Progress_says_how_far_and_how_fast()
    {
        Assert.That(ProgressStream.Describe("Image-6.1", 6_815_744, 13_631_488, TimeSpan.FromSeconds(2)),
            Is.EqualTo("Image-6.1: 6.5/13.0 MiB (50 %), 3.25 MiB/s"));
    }

    [Test]
    public void A_short_copy_stays_quiet_and_every_byte_gets_through()
    {
        var reports = new List<string>();
        using var sink = new MemoryStream();
        using (var progress = new ProgressStream(sink, "dtb", 3000, reports.Add))
        {
            progress.Write(new byte[1000], 0, 1000);
            progress.Write(new byte[2000], 0, 2000);
        }
        Assert.That((sink.Length, reports.Count), Is.EqualTo((3000L, 0)));
    }
}
