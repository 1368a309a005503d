using System.Security.Cryptography;
using KernelSoak.Deploy;
using KernelSoak.Kernel;

namespace KernelSoak.Remote.Tests;

/// <summary>
/// A board-shaped directory served by the throwaway sshd (boot partition with the seed's extlinux layout,
/// /lib/modules with another release), and a kernel "build" on the host with real files and a manifest.
/// </summary>
public sealed class ScratchBoard
{
    public const string Release = "7.0.0-rc3-lockdep-kasan-ks";
    public const string OtherRelease = "7.0.0-rc3-lockdep+";

    public const string Extlinux = """
        # RK3588 CoolPi CM5 GenBook (the seed plan's board)
        menu title Boot menu
        prompt 1
        timeout 50
        default arch_devices

        label arch_devices
            menu label Arch Linux ARM (vanilla)
            kernel /Image
            initrd /initramfs-linux.img
            fdt /rk3588-coolpi-cm5-genbook.dtb
            append root=PARTUUID=7a1b2c3d-02 rw rootwait console=ttyS2,1500000 console=tty1

        label arch_devices_lockdep
            menu label Arch Linux ARM (7.0.0-rc3-lockdep)
            kernel /Image-7.0.0-rc3-lockdep+
            fdt /rk3588-coolpi-cm5-genbook.dtb-7.0.0-rc3-lockdep+
            append root=PARTUUID=7a1b2c3d-02 rw rootwait console=ttyS2,1500000 console=tty1 ramoops.mem_address=0x10000000

        """;

    public ScratchBoard(string dir)
    {
        Root = Path.Combine(dir, "board");
        Build = Path.Combine(dir, "build");
        Directory.CreateDirectory(BootDir);
        Directory.CreateDirectory(Path.Combine(BootDir, "extlinux"));
        File.WriteAllText(ExtlinuxPath, Extlinux);
        var other = Path.Combine(Root, "lib", "modules", OtherRelease, "kernel");
        Directory.CreateDirectory(other);
        File.WriteAllText(Path.Combine(other, "other.ko"), "another release's module");

        var modules = Path.Combine(Build, "staging", "lib", "modules", Release);
        for (var i = 0; i < 40; i++)
        {
            var file = Path.Combine(modules, "kernel", "drivers", $"d{i % 5}", $"m{i}.ko");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, RandomNumberGenerator.GetBytes(2048 + i * 100));
        }
        File.WriteAllText(Path.Combine(modules, "modules.order"), "kernel/drivers/d0/m0.ko\n");
        File.WriteAllText(Path.Combine(modules, "modules.builtin"), "");
        File.WriteAllText(Path.Combine(modules, "modules.builtin.modinfo"), "");
        var dts = Path.Combine(Build, "arch", "arm64", "boot", "dts", "rockchip");
        Directory.CreateDirectory(dts);
        File.WriteAllBytes(Path.Combine(dts, "rk3588-coolpi-cm5-genbook.dtb"), RandomNumberGenerator.GetBytes(64 * 1024));
        File.WriteAllBytes(ImageFile, RandomNumberGenerator.GetBytes(3 * 1024 * 1024));
    }

    public string Root { get; }
    public string Build { get; }
    public string BootDir => Path.Combine(Root, "boot", "firmware");
    public string ExtlinuxPath => Path.Combine(BootDir, "extlinux", "extlinux.conf");
    public string ImageFile => Path.Combine(Build, "arch", "arm64", "boot", "Image");
    public string ModulesOnBoard => Path.Combine(Root, "lib", "modules", Release);
    public string OtherModule => Path.Combine(Root, "lib", "modules", OtherRelease, "kernel", "other.ko");

    public InstallLayout Layout => new(BootDir, ExtlinuxPath, "Image-{release}", "arch_devices_lockdep_kasan", "arch_devices",
        ["page_poison=1", "kasan_multi_shot"], 1)
    {
        RootDir = Root,
        Dtb = "rockchip/rk3588-coolpi-cm5-genbook.dtb",
        // A real image of the installed modules, made on the "board" (its own cpio), like mkinitcpio would.
        InitramfsCommand = $"sh -c 'cd {Root}/lib/modules/{{release}} && find . | cpio -o -H newc --quiet > {{initrd}}'",
    };

    /// <summary>The manifest CompileKernel would write for the files as they are now.</summary>
    public BuildManifest Manifest()
    {
        var modules = Path.Combine(Build, "staging", "lib", "modules", Release);
        var dts = Path.Combine(Build, "arch", "arm64", "boot", "dts");
        var image = ManifestFile.Of(ImageFile, Build);
        return new BuildManifest(Release, "arm64", "test", image, image, image,
            Directory.GetFiles(dts, "*.dtb", SearchOption.AllDirectories).Select(f => ManifestFile.Of(f, dts)).ToList(),
            modules, Directory.GetFiles(modules, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => ManifestFile.Of(f, modules)).ToList(),
            DateTimeOffset.UtcNow);
    }

    public static string Sha(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
