using KernelSoak.Boot;
using KernelSoak.Deploy;

namespace KernelSoak.Remote.Tests;

/// <summary>InstallKernel's installer against a real sshd and a board-shaped scratch directory.</summary>
[TestFixture]
public sealed class InstallOverSshTests : ScratchBoardFixture
{
    [Test]
    public async Task Install_puts_every_file_in_place_verified_adds_the_label_and_keeps_the_default_and_other_releases()
    {
        var otherBefore = ScratchBoard.Sha(Board.OtherModule);
        var (ssh, installer) = await ConnectAsync();
        using (ssh) await InstallAsync(installer);

        var manifest = Board.Manifest();
        var boot = Board.BootDir;
        Assert.Multiple(() =>
        {
            Assert.That(ScratchBoard.Sha(Path.Combine(boot, $"Image-{ScratchBoard.Release}")), Is.EqualTo(manifest.Image.Sha256));
            Assert.That(ScratchBoard.Sha(Path.Combine(boot, $"rk3588-coolpi-cm5-genbook.dtb-{ScratchBoard.Release}")), Is.EqualTo(manifest.Dtbs[0].Sha256));
            Assert.That(new FileInfo(Path.Combine(boot, $"initramfs-{ScratchBoard.Release}.img")).Length, Is.GreaterThan(1000));
            foreach (var m in manifest.Modules)
                Assert.That(ScratchBoard.Sha(Path.Combine(Board.ModulesOnBoard, m.RelativePath)), Is.EqualTo(m.Sha256), m.RelativePath);
            Assert.That(File.Exists(Path.Combine(Board.ModulesOnBoard, "modules.dep")), "depmod ran on the board");
            Assert.That(ScratchBoard.Sha(Board.OtherModule), Is.EqualTo(otherBefore), "another release's modules are never touched");
            Assert.That(Directory.GetFiles(boot, "*.ks-tmp"), Is.Empty);
        });

        var text = File.ReadAllText(Board.ExtlinuxPath);
        var config = ExtlinuxConfig.Parse(text);
        var label = config.Labels.Single(l => l.Name == "arch_devices_lockdep_kasan");
        Assert.Multiple(() =>
        {
            Assert.That(config.Default, Is.EqualTo("arch_devices"));
            Assert.That(label.Kernel, Is.EqualTo($"/Image-{ScratchBoard.Release}"));
            Assert.That(label.Fdt, Is.EqualTo($"/rk3588-coolpi-cm5-genbook.dtb-{ScratchBoard.Release}"));
            Assert.That(label.Initrd, Is.EqualTo($"/initramfs-{ScratchBoard.Release}.img"));
            Assert.That(label.Append, Is.EqualTo("root=PARTUUID=7a1b2c3d-02 rw rootwait console=ttyS2,1500000 console=tty1 page_poison=1 kasan_multi_shot"));
            Assert.That(text, Does.StartWith(ScratchBoard.Extlinux), "the labels that were there stay byte for byte");
            Assert.That(Directory.GetFiles(Path.GetDirectoryName(Board.ExtlinuxPath)!, "extlinux.conf.kernelsoak-*"), Has.Length.EqualTo(1));
        });
    }

    [Test]
    public async Task A_second_install_of_the_same_build_changes_nothing_and_says_so()
    {
        var (ssh, installer) = await ConnectAsync();
        using (ssh)
        {
            await InstallAsync(installer);
            var stamps = Directory.GetFiles(Board.Root, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);
            Said.Clear();
            var manifest = Board.Manifest();
            var sync = await installer.SyncModulesAsync(manifest);
            Assert.Multiple(async () =>
            {
                Assert.That(sync.Sent + sync.Deleted, Is.Zero);
                Assert.That(await installer.CopyImageAsync(manifest), Is.False);
                Assert.That(await installer.CopyDtbAsync(manifest), Is.False);
                Assert.That(await installer.UpdateExtlinuxAsync(manifest.Release), Is.Null);
            });
            var after = Directory.GetFiles(Board.Root, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);
            Assert.That(after, Is.EquivalentTo(stamps), "no file written, none added or removed");
            Assert.That(Said, Has.Some.Contains("unchanged").And.Some.Contains("already boots"));
        }
    }

    [Test]
    public async Task A_changed_build_sends_only_what_changed_and_removes_stale_modules()
    {
        var (ssh, installer) = await ConnectAsync();
        using (ssh)
        {
            await InstallAsync(installer);
            var modules = Path.Combine(Board.Build, "staging", "lib", "modules", ScratchBoard.Release, "kernel", "drivers");
            File.AppendAllText(Path.Combine(modules, "d1", "m1.ko"), "changed");
            File.Delete(Path.Combine(modules, "d2", "m2.ko"));
            File.WriteAllText(Path.Combine(modules, "d3", "new.ko"), "new module");
            var sync = await installer.SyncModulesAsync(Board.Manifest());
            Assert.Multiple(() =>
            {
                Assert.That((sync.Sent, sync.Deleted, sync.Unchanged), Is.EqualTo((2, 1, 40 - 1 - 1 + 3)));
                Assert.That(File.Exists(Path.Combine(Board.ModulesOnBoard, "kernel", "drivers", "d2", "m2.ko")), Is.False);
                Assert.That(File.ReadAllText(Path.Combine(Board.ModulesOnBoard, "kernel", "drivers", "d3", "new.ko")), Is.EqualTo("new module"));
            });
        }
    }

    [Test]
    public async Task A_distribution_sized_module_tree_goes_in_one_stream_and_goes_away_in_one_command()
    {
        // 4,000 modules with long paths: the renames and deletions run to ~500 KB of shell, more than an SSH
        // exec request carries (dropbear: 9,000 bytes, OpenSSH: one 256 KiB packet); they travel in the tar stream.
        var drivers = Path.Combine(Board.Build, "staging", "lib", "modules", ScratchBoard.Release, "kernel", "drivers");
        var added = Enumerable.Range(0, 4000).Select(i => Path.Combine(drivers, $"net/ethernet/vendor-{i % 50:000}", $"a-rather-long-module-name-for-a-network-card-{i:0000}.ko")).ToList();
        foreach (var path in added)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, $"module {path}");
        }
        var (ssh, installer) = await ConnectAsync();
        using (ssh)
        {
            var sync = await installer.SyncModulesAsync(Board.Manifest());
            Assert.That((sync.Sent > 4000, sync.Unchanged), Is.EqualTo((true, 0)));
            Assert.That(Directory.GetFiles(Path.Combine(Board.ModulesOnBoard, "kernel", "drivers", "net"), "*.ko", SearchOption.AllDirectories), Has.Length.EqualTo(4000));

            Directory.Delete(Path.Combine(drivers, "net"), recursive: true);
            var dropped = await installer.SyncModulesAsync(Board.Manifest());
            Assert.That((dropped.Sent, dropped.Deleted), Is.EqualTo((0, 4000)));
            Assert.That(Directory.GetFiles(Path.Combine(Board.ModulesOnBoard, "kernel", "drivers"), "*.ko", SearchOption.AllDirectories), Has.None.Contain("network-card"));
        }
    }

    [Test]
    public async Task A_build_that_only_drops_a_module_deletes_it_and_sends_nothing()
    {
        var (ssh, installer) = await ConnectAsync();
        using (ssh)
        {
            await InstallAsync(installer);
            File.Delete(Path.Combine(Board.Build, "staging", "lib", "modules", ScratchBoard.Release, "kernel", "drivers", "d2", "m2.ko"));
            var sync = await installer.SyncModulesAsync(Board.Manifest());
            Assert.That((sync.Sent, sync.Deleted), Is.EqualTo((0, 1)));
            Assert.That(File.Exists(Path.Combine(Board.ModulesOnBoard, "kernel", "drivers", "d2", "m2.ko")), Is.False);
            Assert.That(File.Exists(Path.Combine(Board.ModulesOnBoard, "modules.dep")), Is.True, "depmod ran again");
        }
    }

    [Test]
    public async Task A_broken_extlinux_conf_stops_the_install_with_its_line_and_is_left_as_it_was()
    {
        var broken = ScratchBoard.Extlinux.Replace("    kernel /Image\n", "    kernel\n", StringComparison.Ordinal);
        File.WriteAllText(Board.ExtlinuxPath, broken);
        var (ssh, installer) = await ConnectAsync();
        using (ssh)
        {
            var e = Assert.ThrowsAsync<ExtlinuxException>(() => installer.UpdateExtlinuxAsync(ScratchBoard.Release));
            Assert.That(e!.Message, Does.Contain("line 9").And.Contain("'kernel' without a path").And.Contain(Board.ExtlinuxPath));
        }
        Assert.That(File.ReadAllText(Board.ExtlinuxPath), Is.EqualTo(broken));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(Board.ExtlinuxPath)!, "*.kernelsoak-*"), Is.Empty, "no backup, no write");
    }

    [Test]
    public async Task A_full_boot_partition_is_refused_before_anything_is_written()
    {
        if (ThrowawaySshd.CurrentUser != "root") Assert.Ignore("mounting a small tmpfs as the boot partition needs root");
        ThrowawaySshd.Run("mount", "-t", "tmpfs", "-o", "size=2m", "ks-boot", Board.BootDir);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Board.ExtlinuxPath)!);
            File.WriteAllText(Board.ExtlinuxPath, ScratchBoard.Extlinux);
            var (ssh, installer) = await ConnectAsync();
            using (ssh)
            {
                var e = Assert.ThrowsAsync<IOException>(() => installer.CopyImageAsync(Board.Manifest()));
                Assert.That(e!.Message, Does.Contain("MiB free").And.Contain("Nothing was written"));
                // Past the space check (another writer filled it meanwhile): the write itself fails cleanly.
                var image = Board.Manifest().Image;
                var full = Assert.ThrowsAsync<IOException>(() => RemoteFiles.WriteAtomicAsync(ssh, Path.Combine(Board.BootDir, "Image-big"), async st =>
                {
                    await using var local = File.OpenRead(image.Path);
                    await local.CopyToAsync(st);
                }, image.Sha256));
                Assert.That(full!.Message, Does.Contain("partition is full").And.Contain("old file is untouched"));
            }
            Assert.That(Directory.GetFiles(Board.BootDir), Is.Empty, "no Image, no temp file");
            Assert.That(File.ReadAllText(Board.ExtlinuxPath), Is.EqualTo(ScratchBoard.Extlinux));
        }
        finally
        {
            ThrowawaySshd.Run("umount", Board.BootDir);
        }
    }

    [Test]
    public async Task A_copy_that_arrives_wrong_or_is_cut_off_never_replaces_the_old_file()
    {
        var image = Path.Combine(Board.BootDir, "Image-old");
        File.WriteAllText(image, "the old kernel");
        using var ssh = await SshTarget.ConnectAsync(Sshd.Endpoint());
        Assert.ThrowsAsync<IOException>(() => RemoteFiles.WriteAtomicAsync(ssh, image, s => s.WriteAsync("new"u8.ToArray()).AsTask(), new string('0', 64)));
        Assert.That(File.ReadAllText(image), Is.EqualTo("the old kernel"));

        using var cut = new CancellationTokenSource();
        var writing = RemoteFiles.WriteAtomicAsync(ssh, image, async s =>
        {
            await s.WriteAsync(new byte[256 * 1024]);
            await s.FlushAsync();
            cut.Cancel(); // the host process dies mid-copy
            await Task.Delay(Timeout.Infinite, cut.Token);
        }, ScratchBoard.Sha(Board.ImageFile), cut.Token);
        Assert.CatchAsync<OperationCanceledException>(() => writing);
        Assert.That(File.ReadAllText(image), Is.EqualTo("the old kernel"));
    }

    [Test]
    public async Task Uninstall_takes_the_release_and_its_label_away_and_nothing_else()
    {
        var (ssh, installer) = await ConnectAsync();
        using (ssh)
        {
            await InstallAsync(installer);
            var removed = await installer.UninstallAsync(ScratchBoard.Release);
            Assert.That(removed, Has.Count.EqualTo(5), string.Join('\n', removed));
            var running = (await ssh.CheckAsync("uname -r")).Trim();
            var e = Assert.ThrowsAsync<InvalidOperationException>(() => installer.UninstallAsync(running));
            Assert.That(e!.Message, Does.Contain("running"));
        }
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(Board.ExtlinuxPath), Is.EqualTo(ScratchBoard.Extlinux), "back to the file as it was");
            Assert.That(Directory.GetFiles(Board.BootDir), Is.Empty);
            Assert.That(Directory.Exists(Board.ModulesOnBoard), Is.False);
            Assert.That(File.Exists(Board.OtherModule));
        });
    }

    [Test]
    public async Task The_fast_hasher_stays_off_aBoard_that_cannot_run_it_and_the_copy_verifies_with_sha256sum()
    {
        var dir = Directory.CreateTempSubdirectory("ks-helper-").FullName;
        try
        {
            var helper = await FastSha256.BuildAsync("aarch64-linux-gnu-", dir, new KernelSoak.Processes.CommandRunner(KernelSoak.Processes.ICommandLog.None));
            Assert.That(helper, Is.Not.Null, "the arm64 cross compiler builds the helper");
            var big = Path.Combine(dir, "Image");
            var bytes = new byte[(1 << 20) + 4097];
            new Random(3).NextBytes(bytes);
            await File.WriteAllBytesAsync(big, bytes);
            var file = new KernelSoak.Kernel.ManifestFile(big, "Image", bytes.Length, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
            var target = Path.Combine(Board.BootDir, "Image-big");
            using var ssh = await SshTarget.ConnectAsync(Sshd.Endpoint());
            var installer = new KernelInstaller(ssh, Board.Layout, Said.Add) { Sha256Helper = helper };

            Assert.That(await installer.CopyBootFileAsync(file, target), Is.True);
            Assert.That(Said, Does.Contain("hashing on the board with sha256sum"), "this x86_64 host has no ARMv8 SHA-2 instructions");
            Assert.That(File.Exists(FastSha256.RemotePath), Is.False, "nothing placed");
            Assert.That(ScratchBoard.Sha(target), Is.EqualTo(file.Sha256), "received by cat, verified by sha256sum");
            Assert.That(await installer.CopyBootFileAsync(file, target), Is.False, "the same file again: the board's copy is recognised");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
