using System.Diagnostics;
using KernelSoak.Deploy;
using KernelSoak.Kernel;
using KernelSoak.Remote;

namespace KernelSoak.Bench;

/// <summary>
/// KernelSoak's deploy of a build's modules tree and Image to the emulated board: cold (nothing of the
/// release on the board), and with nothing changed (the journal's path: connect + one confirming round
/// trip; and, for comparison, the journal-less path that hashes every file on the board).
/// </summary>
public static class DeployBench
{
    /// <param name="part">"cold" (the release removed first, then installed) or "nochange" (run after a cold round)</param>
    public static async Task<int> RunAsync(string boardDir, string manifestPath, string part)
    {
        var (_, endpoint) = BenchBoard.At(boardDir);
        var manifest = BuildManifest.Load(manifestPath);
        var layout = new InstallLayout("/boot/firmware", "/boot/firmware/extlinux/extlinux.conf", "Image-{release}", "kernelsoak", "known-good", [], 1);
        var release = manifest.Release;
        var image = layout.ImagePath(release);
        // As InstallKernel does: the board-side hasher built once with the cross compiler (cached), placed by the installer.
        var helper = await FastSha256.BuildAsync("aarch64-linux-gnu-", Path.Combine(Path.GetTempPath(), "ks-bench-helpers"), new KernelSoak.Processes.CommandRunner(KernelSoak.Processes.ICommandLog.None));
        if (part == "cold")
        {
            using (var ssh = await SshTarget.ConnectAsync(endpoint))
                await ssh.CheckAsync($"rm -rf /lib/modules/{release} {image}; sync");
            double modulesCold = 0, imageCold = 0;
            var coldTotal = await Time(async () =>
            {
                using var ssh = await SshTarget.ConnectAsync(endpoint);
                var installer = new KernelInstaller(ssh, layout, _ => { }) { Sha256Helper = helper };
                modulesCold = await Time(() => installer.SyncModulesAsync(manifest));
                imageCold = await Time(() => installer.CopyImageAsync(manifest));
                Console.WriteLine($"kernelsoak cold ({ssh.Cipher}): modules {modulesCold:0.00} s ({manifest.Modules.Count} files, {manifest.Modules.Sum(m => m.Size) / 1024} KiB, incl. depmod + sha256 verify), " +
                                  $"Image {imageCold:0.00} s ({manifest.Image.Size / 1024 / 1024} MiB, incl. sha256 verify)");
            });
            Console.WriteLine($"RESULT ks_modules_cold={modulesCold:0.00} ks_image_cold={imageCold:0.00} ks_cold_total={coldTotal:0.00}");
            return 0;
        }
        var confirm = await Time(async () =>
        {
            using var ssh = await SshTarget.ConnectAsync(endpoint);
            await ssh.CheckAsync($"test -s {image} && test -f /lib/modules/{release}/modules.dep");
        });
        double modulesHashed = 0, imageHashed = 0;
        await Time(async () =>
        {
            using var ssh = await SshTarget.ConnectAsync(endpoint);
            var installer = new KernelInstaller(ssh, layout, _ => { }) { Sha256Helper = helper };
            modulesHashed = await Time(() => installer.SyncModulesAsync(manifest));
            imageHashed = await Time(() => installer.CopyImageAsync(manifest));
        });
        Console.WriteLine($"kernelsoak no-change (journal: connect + one round trip): {confirm:0.00} s");
        Console.WriteLine($"kernelsoak no-change without the journal (hash every file on the board): modules {modulesHashed:0.00} s, Image {imageHashed:0.00} s");
        Console.WriteLine($"RESULT ks_confirm={confirm:0.00} ks_modules_hashed={modulesHashed:0.00} ks_image_hashed={imageHashed:0.00}");
        return 0;
    }

    public static async Task<double> Time(Func<Task> work)
    {
        var watch = Stopwatch.StartNew();
        await work();
        return watch.Elapsed.TotalSeconds;
    }
}
