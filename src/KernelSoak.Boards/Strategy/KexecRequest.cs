using KernelSoak.Boot;
using KernelSoak.Processes;

namespace KernelSoak.Boards.Strategy;

/// <summary>A kexec request that cannot become a safe command on the board (a relative path, a newline in the command line).</summary>
public sealed class InvalidKexecRequestException(string message) : ArgumentException(message);

/// <summary>
/// What the running kernel loads and jumps to (boot_selection = kexec): the test kernel's Image, its
/// optional initrd and device tree (paths on the board), and its command line. Checked when made, so
/// every request that exists becomes an exact, quoted command.
/// </summary>
public sealed record KexecRequest
{
    /// <summary>arm64's COMMAND_LINE_SIZE, its terminating NUL included: a longer line is cut by the kernel.</summary>
    public const int MaxCommandLineBytes = 2047;

    public KexecRequest(string image, string commandLine, string? initrd = null, string? dtb = null)
    {
        Image = BoardPath(image, "image");
        Initrd = initrd is null ? null : BoardPath(initrd, "initrd");
        Dtb = dtb is null ? null : BoardPath(dtb, "dtb");
        if (commandLine.Any(char.IsControl))
            throw new InvalidKexecRequestException("kexec command line holds a control character (a newline would end the command): " + Shown(commandLine));
        if (System.Text.Encoding.UTF8.GetByteCount(commandLine) > MaxCommandLineBytes)
            throw new InvalidKexecRequestException($"kexec command line is longer than the kernel's {MaxCommandLineBytes} bytes: it would be cut");
        CommandLine = commandLine;
    }

    public string Image { get; }
    public string? Initrd { get; }
    public string? Dtb { get; }
    public string CommandLine { get; }

    /// <summary>The test kernel reboots by itself after a panic (panic=N, N ≠ 0): a kernel that dies brings the board back through U-Boot's default.</summary>
    public bool PanicReboots => KernelCommandLine.PanicReboots(CommandLine);

    /// <summary>kexec-tools' load, every word quoted for the board's shell.</summary>
    public string LoadCommand(string program = "kexec") => LoadCommand(program, Image, Initrd, Dtb, CommandLine);

    /// <summary>The load as <see cref="LoadCommand(string)"/> words it, of any values (a dry run's placeholders too).</summary>
    public static string LoadCommand(string program, string image, string? initrd, string? dtb, string commandLine)
    {
        var arguments = new List<string> { "-l", image };
        if (initrd is not null) arguments.Add("--initrd=" + initrd);
        if (dtb is not null) arguments.Add("--dtb=" + dtb);
        arguments.Add("--append=" + commandLine);
        return Processes.CommandLine.Of(program, [.. arguments]).ToString();
    }

    /// <summary>
    /// The request for a label of the board's extlinux.conf: its files (relative to the boot partition, as
    /// U-Boot reads them) under <paramref name="bootDir"/>, its fdt if it names one, its append with panic=<paramref name="panicSeconds"/>
    /// added unless it already reboots after a panic.
    /// </summary>
    public static KexecRequest ForLabel(ExtlinuxLabel label, string bootDir, int panicSeconds)
    {
        var kernel = label.Kernel ?? throw new InvalidKexecRequestException($"label {label.Name} has no kernel to kexec");
        // No fdt (none, or an fdtdir U-Boot picks from by board name): kexec-tools passes the running
        // kernel's device tree on, the one U-Boot gave the known-good kernel.
        return new KexecRequest(OnBoard(bootDir, kernel), KernelCommandLine.WithPanicReboot(label.Append ?? "", panicSeconds),
            label.Initrd is { } initrd ? OnBoard(bootDir, initrd) : null, label.Fdt is { } fdt ? OnBoard(bootDir, fdt) : null);
    }

    /// <summary>A path of extlinux.conf (relative to the boot partition's root) as the running system sees it.</summary>
    private static string OnBoard(string bootDir, string path) => bootDir.TrimEnd('/') + "/" + path.TrimStart('/');

    private static string BoardPath(string path, string what)
    {
        if (!path.StartsWith('/') || path.Any(char.IsControl) || path.Split('/').Any(part => part == ".."))
            throw new InvalidKexecRequestException($"kexec {what} '{Shown(path)}' must be an absolute path on the board without '..' or control characters");
        return path;
    }

    private static string Shown(string value) => string.Concat(value.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString()));
}
