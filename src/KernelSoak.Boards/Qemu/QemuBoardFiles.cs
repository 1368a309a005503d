namespace KernelSoak.Boards.Qemu;

/// <summary>The files of an emulated board made by targets/qemu-arm64/make-board.sh.</summary>
public sealed record QemuBoardFiles(string Directory)
{
    public string BootImage => Path.Combine(Directory, "boot.img");
    public string RootImage => Path.Combine(Directory, "root.img");
    public string Launcher => Path.Combine(Directory, "boot.sh");
    public string MonitorSocket => Path.Combine(Directory, "qmon.sock");
    public string SerialSocket => Path.Combine(Directory, "serial.sock");
    public string ConsoleLog => Path.Combine(Directory, "console.log");
    public string PidFile => Path.Combine(Directory, "qemu.pid");
    public string IdentityFile => Path.Combine(Directory, "id_ed25519");
    public string KnownHosts => Path.Combine(Directory, "known_hosts");
    public string KernelReleaseFile => Path.Combine(Directory, "kernel.release");

    public bool Exists => File.Exists(BootImage) && File.Exists(RootImage) && File.Exists(Launcher);
    public int SshPort => int.Parse(File.ReadAllText(Path.Combine(Directory, "ssh_port")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    public string KernelRelease => File.ReadAllText(KernelReleaseFile).Trim();
}
