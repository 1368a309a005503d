using KernelSoak.Campaigns;
using KernelSoak.Processes;

namespace KernelSoak.Deploy;

/// <summary>The board's initramfs tools: the program preflight looks for and how each makes one release's image.</summary>
public static class InitramfsTools
{
    /// <summary>The program on the board, or "" for none.</summary>
    public static string Program(InitramfsTool tool) => tool switch
    {
        InitramfsTool.Mkinitcpio => "mkinitcpio",
        InitramfsTool.Dracut => "dracut",
        InitramfsTool.UpdateInitramfs => "update-initramfs",
        _ => "",
    };

    /// <summary>Each tool's way of making one release's image at a given path ({release}, {initrd}).</summary>
    public static string Command(InitramfsTool tool, string bootDir) => tool switch
    {
        InitramfsTool.Mkinitcpio => "mkinitcpio -k {release} -g {initrd}",
        InitramfsTool.Dracut => "dracut --force --kver {release} {initrd}",
        // update-initramfs names the image itself (initrd.img-{release}) in the directory it is given.
        InitramfsTool.UpdateInitramfs => $"update-initramfs -c -k {{release}} -b {CommandLine.Quote(bootDir)}",
        _ => "",
    };

    /// <summary>
    /// The space an install needs in the boot directory: Image, the campaign's DTB (not every DTB the build
    /// made), an initramfs guessed at half an Image, plus 10 %; never less than the campaign's floor.
    /// </summary>
    public static long BootSpaceNeeded(InstallSpec install, Kernel.BuildManifest? manifest)
    {
        var floor = install.MinFreeMb * 1024L * 1024;
        if (manifest is null) return floor;
        var dtb = install.Dtb.Length == 0 ? 0 : manifest.Dtbs.Where(d => d.RelativePath.EndsWith(install.Dtb, StringComparison.Ordinal)).Sum(d => d.Size);
        var bytes = manifest.Image.Size + dtb + (install.Initramfs == InitramfsTool.None ? 0 : manifest.Image.Size / 2);
        return Math.Max(floor, bytes + bytes / 10);
    }
}
