using KernelSoak.Boards.Qemu;
using KernelSoak.Remote;

namespace KernelSoak.Bench;

/// <summary>The throwaway board a bench script started (bench/own-board.sh): its files and SSH endpoint.</summary>
public static class BenchBoard
{
    public static (QemuBoardFiles Files, SshEndpoint Endpoint) At(string directory)
    {
        var files = new QemuBoardFiles(directory);
        return (files, new SshEndpoint("127.0.0.1", files.SshPort, "root", files.IdentityFile) { KnownHostsFile = files.KnownHosts });
    }
}
