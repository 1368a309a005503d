namespace KernelSoak.Kernel;

/// <summary>A campaign's ARCH as the kernel tree and the board name it.</summary>
public static class KernelArch
{
    /// <summary>The directory under arch/ (x86_64 and i386 share arch/x86).</summary>
    public static string SourceDir(string arch) => arch is "x86_64" or "i386" ? "x86" : arch;

    /// <summary>What uname -m says on a board running that ARCH.</summary>
    public static string UnameMachine(string arch) => arch switch { "arm64" => "aarch64", "x86_64" or "x86" => "x86_64", var a => a };
}
