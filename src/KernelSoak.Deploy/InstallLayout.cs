namespace KernelSoak.Deploy;

/// <summary>
/// Where and how a kernel goes on the board (from the campaign's [install]). Names may use {release};
/// <see cref="RootDir"/> prefixes /lib/modules (a test's scratch root; "" on a real board).
/// </summary>
public sealed record InstallLayout(string BootDir, string ExtlinuxPath, string ImageName, string Label, string DefaultLabel,
    IReadOnlyList<string> AppendExtra, int MinFreeMb)
{
    public string RootDir { get; init; } = "";
    /// <summary>The DTB to install, as its path under arch/*/boot/dts in the build manifest; "" = the firmware's.</summary>
    public string Dtb { get; init; } = "";
    public string DtbName { get; init; } = "{dtb}-{release}";
    /// <summary>Command that makes the initramfs on the board ({release}, {initrd}); "" = none.</summary>
    public string InitramfsCommand { get; init; } = "";
    public string InitramfsName { get; init; } = "initramfs-{release}.img";

    /// <summary>Every path of a release goes through <see cref="KernelRelease.Check"/>: none is ever made from an empty or escaping one.</summary>
    public string ModulesDir(string release) => $"{RootDir.TrimEnd('/')}/lib/modules/{KernelRelease.Check(release, "release")}";
    public string ImagePath(string release) => BootPath(ImageName, release);
    public string? DtbPath(string release) => Dtb.Length == 0 ? null : BootPath(DtbName, release);
    public string? InitrdPath(string release) => InitramfsCommand.Length == 0 ? null : BootPath(InitramfsName, release);

    /// <summary>Everything a release puts on the board, besides its label.</summary>
    public IReadOnlyList<string> ReleasePaths(string release) =>
        new[] { ImagePath(release), DtbPath(release), InitrdPath(release), ModulesDir(release) }.OfType<string>().ToList();

    /// <summary>A path as extlinux sees it: relative to the boot partition's root.</summary>
    public string BootRelative(string path) => "/" + Path.GetRelativePath(BootDir, path);

    /// <summary>A file name pattern of [install] with {release} and {dtb} (the DTB's file name) filled in.</summary>
    public static string Expand(string pattern, string release, string dtb) =>
        pattern.Replace("{release}", release, StringComparison.Ordinal).Replace("{dtb}", Path.GetFileName(dtb), StringComparison.Ordinal);

    private string BootPath(string pattern, string release) => $"{BootDir.TrimEnd('/')}/{Expand(pattern, KernelRelease.Check(release, "release"), Dtb)}";
}
