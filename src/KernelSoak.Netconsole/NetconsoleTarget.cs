using KernelSoak.Remote;
using KernelSoak.Processes;

namespace KernelSoak.Netconsole;

/// <summary>Where the board sends its netconsole: its interface, and the host address and UDP port as the board sees them.</summary>
public sealed record NetconsoleTarget(string Interface, string RemoteIp, int RemotePort, string RemoteMac = "")
{
    private const string Dir = "/sys/kernel/config/netconsole/kernelsoak";

    /// <summary>
    /// A dynamic (configfs) target with extended records, so sequence numbers and timestamps survive and
    /// long reports arrive whole; set up again from scratch each time (a stale target is replaced).
    /// </summary>
    public string SetupCommand() =>
        "modprobe netconsole 2>/dev/null; " +
        "[ -d /sys/kernel/config/netconsole ] || mount -t configfs configfs /sys/kernel/config 2>/dev/null; " +
        "[ -d /sys/kernel/config/netconsole ] || { echo 'this kernel has no dynamic netconsole (CONFIG_NETCONSOLE_DYNAMIC=y)' >&2; exit 3; }; " +
        $"set -e; if [ -d {Dir} ]; then echo 0 > {Dir}/enabled; else mkdir {Dir}; fi; " +
        $"echo {CommandLine.Quote(Interface)} > {Dir}/dev_name; echo {CommandLine.Quote(RemoteIp)} > {Dir}/remote_ip; echo {RemotePort} > {Dir}/remote_port; " +
        (RemoteMac.Length > 0 ? $"echo {CommandLine.Quote(RemoteMac)} > {Dir}/remote_mac; " : "") +
        $"echo 1 > {Dir}/extended; echo 1 > {Dir}/enabled";

    public static string TeardownCommand() => $"[ -d {Dir} ] && {{ echo 0 > {Dir}/enabled; rmdir {Dir}; }}; true";
}
