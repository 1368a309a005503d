using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KernelSoak.Processes;
using KernelSoak.Settings;

namespace KernelSoak.Kernel.Tests;

/// <summary>
/// [Build] Distcc: the kernel's compiles go through a real distccd (Debian's, on 127.0.0.1) with the
/// campaign's cross compiler, behind ccache (distcc as ccache's prefix, so CC is unchanged), on the real tree.
/// </summary>
public class DistccBuildTests
{
    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    [Test]
    public async Task Objects_of_the_real_tree_are_compiled_by_a_distccd_on_127_0_0_1_behind_ccache()
    {
        var dir = Directory.CreateTempSubdirectory("ks-distcc-").FullName;
        // distccd drops root for its own user: its log must be writable by it.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir, (UnixFileMode)0b111_111_111);
        var log = Path.Combine(dir, "distccd.log");
        var port = FreePort();
        using var distccd = Process.Start(new ProcessStartInfo("distccd", ["--daemon", "--no-detach", "--listen", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--allow", "127.0.0.1", "--jobs", "2", "--log-file", log, "--log-level", "info"]))!;
        try
        {
            var source = await KernelTreeFixture.SourceAsync();
            var tree = new KernelTree(source, Path.Combine(dir, "build"), null);
            var hosts = DistccHosts.Parse($"127.0.0.1:{port}/2");
            var spec = KernelTreeFixture.Arm64();
            spec.Jobs = 0; // make's -j from the hosts: this one's CPU + distcc's slots
            var make = new KernelMake(spec, tree, 1) { Distcc = hosts };
            var commands = new KernelTreeFixture.ProgressLog();
            var runner = new CommandRunner(commands);
            // A compiler cache of its own: every object is a miss, so each one is ccache → distcc → distccd.
            var environment = new Dictionary<string, string?> { ["CCACHE_DIR"] = Path.Combine(dir, "ccache"), ["DISTCC_SKIP_LOCAL_RETRY"] = "1" };
            Assert.That((await runner.RunAsync(make.Make("tinyconfig"), environment: environment)).ExitCode, Is.Zero);
            var objects = new[] { "lib/sort.o", "lib/bsearch.o", "lib/cmdline.o", "lib/ctype.o" };
            var build = await runner.RunAsync(make.Make(objects), environment: environment);
            Assert.That(build.ExitCode, Is.Zero, string.Join("\n", build.Output));

            Assert.That(commands.Commands.Last(), Does.StartWith($"env CCACHE_DEPEND=1 CCACHE_PREFIX=distcc DISTCC_HOSTS=127.0.0.1:{port}/2 make -C {source}")
                .And.Contain("-j3").And.Contain("'CC=ccache aarch64-linux-gnu-gcc'"), "the logged command is what ran: distcc's hosts in it, CC unchanged");
            var served = await File.ReadAllTextAsync(log);
            foreach (var o in objects)
                Assert.That(served, Does.Match($@"COMPILE_OK.*aarch64-linux-gnu-gcc.*{System.Text.RegularExpressions.Regex.Escape(Path.ChangeExtension(o, ".c"))}"),
                    $"{o} was compiled by the distccd (its log):\n{served}");
        }
        finally
        {
            distccd.Kill(entireProcessTree: true);
            distccd.WaitForExit();
            Directory.Delete(dir, recursive: true);
        }
    }
}
