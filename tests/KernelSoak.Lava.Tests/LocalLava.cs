using System.Diagnostics;
using KernelSoak.Lava.Api;
using KernelSoak.Lava.Jobs;
using KernelSoak.Lava.Serving;

namespace KernelSoak.Lava.Tests;

/// <summary>
/// The real LAVA of scripts/lava-local.sh on 127.0.0.1 (run here, idempotent: ~20 s when installed), the emulated
/// board's cached kernel and a busybox root disk, published by an <see cref="ArtifactServer"/>. Tests are ignored,
/// naming the package, where LAVA is not installed; once it is, anything not working fails them.
/// </summary>
public sealed class LocalLava : IAsyncDisposable
{
    public const string Device = "qemu";
    /// <summary>Where scripts/lava-local.sh leaves the server's URL (url) and an API token (token, mode 0600).</summary>
    public const string Dir = "/var/lib/kernelsoak-lava";

    public required LavaClient Client { get; init; }
    public required ArtifactServer Server { get; init; }
    public required JobImages Images { get; init; }
    public required string KernelRelease { get; init; }
    private string Scratch { get; init; } = "";

    /// <summary>The busybox root disk the jobs boot (make-rootfs.sh).</summary>
    public string RootDisk => Path.Combine(Scratch, "rootfs.ext4");

    public static async Task<LocalLava> StartAsync()
    {
        if (!File.Exists("/usr/bin/lava-server") || !File.Exists("/usr/bin/lava-worker"))
            Assert.Ignore("LAVA is not installed: apt-get install lava-server lava-dispatcher (scripts/lava-local.sh installs it and starts it on 127.0.0.1)");
        if (Environment.UserName != "root") Assert.Ignore("scripts/lava-local.sh starts LAVA's daemons as root: run the LAVA tests as root");
        var kernel = CachedBoardKernel() ?? throw Ignored("no cached kernel of the emulated board in ~/.cache/kernelsoak/kernels/qemu-arm64-*: the board tests build it (./test.sh)");
        var root = RepoRoot();
        var (exit, output) = await RunAsync(Path.Combine(root, "scripts", "lava-local.sh"));
        Assert.That(exit, Is.Zero, $"scripts/lava-local.sh failed:\n{output}");

        var scratch = Directory.CreateTempSubdirectory("ks-lava-").FullName;
        var rootfs = Path.Combine(scratch, "rootfs.ext4");
        var release = File.ReadAllText(Path.Combine(kernel, "kernel.release")).Trim();
        var lkdtm = Directory.EnumerateFiles(Path.Combine(kernel, "modules"), "lkdtm.ko", SearchOption.AllDirectories).FirstOrDefault();
        var script = Path.Combine(TestContext.CurrentContext.TestDirectory, "make-rootfs.sh");
        (exit, output) = await RunAsync("bash", [script, rootfs, .. lkdtm is null ? Array.Empty<string>() : [lkdtm]]);
        Assert.That(exit, Is.Zero, $"make-rootfs.sh failed:\n{output}");

        var server = new ArtifactServer();
        return new LocalLava
        {
            Client = new LavaClient(new Uri(File.ReadAllText(Path.Combine(Dir, "url")).Trim()), LavaToken.FromFile(Path.Combine(Dir, "token"))),
            Server = server,
            Images = new JobImages(server.Publish("Image", Path.Combine(kernel, "Image")), RootDisk: server.Publish("rootfs.ext4", rootfs)),
            KernelRelease = release,
            Scratch = scratch,
        };
    }

    /// <summary>The board's kernel booted directly by LAVA's qemu method (not through the board's U-Boot), root on the busybox disk.</summary>
    public LavaJob Job(string name, params StressStep[] stress) => LavaJob.Create(name, Device, QemuMachine.Arm64Virt(), Images,
        ["console=ttyAMA0,115200", "root=/dev/vda", "rw", "rootwait", "init=/init"], "/ # ", stress, JobTimeouts.ForTcg);

    private static AssertionException Ignored(string why)
    {
        Assert.Ignore(why);
        return null!;
    }

    /// <summary>The newest finished build of the emulated board's kernel (the cache marks one finished with a "done" file).</summary>
    private static string? CachedBoardKernel()
    {
        var cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "kernelsoak", "kernels");
        return Directory.Exists(cache)
            ? new DirectoryInfo(cache).EnumerateDirectories("qemu-arm64-*")
                .Where(d => File.Exists(Path.Combine(d.FullName, "done")) && File.Exists(Path.Combine(d.FullName, "Image")))
                .OrderByDescending(d => File.GetLastWriteTimeUtc(Path.Combine(d.FullName, "Image"))).FirstOrDefault()?.FullName
            : null;
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "KernelSoak.slnx"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    private static async Task<(int Exit, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        if (Scratch.Length > 0) Directory.Delete(Scratch, recursive: true);
    }
}
