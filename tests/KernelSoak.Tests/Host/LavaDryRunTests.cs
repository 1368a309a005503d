namespace KernelSoak.Tests.Host;

/// <summary>[Board] Kind = lava as the dry run shows it: each probe is one {probe}/lava step, nothing is installed, booted or harvested over SSH.</summary>
public class LavaDryRunTests
{
    [Test]
    public void Each_probe_is_one_lava_step_and_the_token_shows_nowhere()
    {
        var artifacts = Directory.CreateTempSubdirectory("ks-lava-dry-").FullName;
        try
        {
            var (exit, output, err) = BuildCommandLineTests.Run("--target=Bisect0001", "--dryrun", "--campaign=qemu-bisect", "--board-kind=lava",
                "--lava-server=http://lava.test:8000/", "--lava-token=TopSecret0123", $"--paths-artifacts={artifacts}");
            Assert.That(exit, Is.Zero, err);
            string[] inOrder =
            [
                "board LAVA http://lava.test:8000/, device type qemu", "step preflight: LAVA http://lava.test:8000/", "GET http://lava.test:8000/api/v0.2/devices/?device_type=qemu",
                "step kernel/build:", "step baseline/lava:", "step bisect/0001/apply:", "step bisect/0001/build:",
                "step bisect/0001/lava:", "POST http://lava.test:8000/api/v0.2/jobs/", "step bisect/0001/verdict:",
            ];
            var at = 0;
            foreach (var needle in inOrder)
            {
                var found = output.IndexOf(needle, at, StringComparison.Ordinal);
                Assert.That(found, Is.GreaterThanOrEqualTo(0), $"'{needle}' after position {at}:\n{output}");
                at = found;
            }
            foreach (var ssh in new[] { "step install/", "/install/", "/boot:", "/stress:", "/harvest:", "ssh -i" })
                Assert.That(output, Does.Not.Contain(ssh), "no SSH board step");
            Assert.That(output + err, Does.Not.Contain("TopSecret0123"));
        }
        finally
        {
            Directory.Delete(artifacts, recursive: true);
        }
    }
}
