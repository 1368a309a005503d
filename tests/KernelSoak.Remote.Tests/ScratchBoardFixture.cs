using KernelSoak.Deploy;

namespace KernelSoak.Remote.Tests;

/// <summary>A throwaway sshd for the fixture and a fresh scratch board per test, with the installer's words collected.</summary>
public abstract class ScratchBoardFixture
{
    protected ThrowawaySshd Sshd { get; private set; } = null!;
    protected ScratchBoard Board { get; private set; } = null!;
    protected List<string> Said { get; } = [];

    [OneTimeSetUp]
    public void StartDaemon() => Sshd = ThrowawaySshd.Start();

    [OneTimeTearDown]
    public void StopDaemon() => Sshd.Dispose();

    [SetUp]
    public void NewBoard()
    {
        Board = new ScratchBoard(Directory.CreateTempSubdirectory("ks-board-").FullName);
        Said.Clear();
    }

    [TearDown]
    public void RemoveBoard()
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(Board.Root)!, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TestContext.Progress.WriteLine($"scratch board left behind: {e.Message}"); // e.g. a test's tmpfs still mounted
        }
    }

    protected async Task<(SshTarget Ssh, KernelInstaller Installer)> ConnectAsync()
    {
        var ssh = await SshTarget.ConnectAsync(Sshd.Endpoint());
        return (ssh, new KernelInstaller(ssh, Board.Layout, Said.Add));
    }

    /// <summary>What InstallKernel does: modules, Image, DTB, initramfs, label.</summary>
    protected async Task InstallAsync(KernelInstaller installer)
    {
        var manifest = Board.Manifest();
        await installer.SyncModulesAsync(manifest);
        await installer.CopyImageAsync(manifest);
        await installer.CopyDtbAsync(manifest);
        await installer.MakeInitramfsAsync(manifest.Release);
        await installer.UpdateExtlinuxAsync(manifest.Release);
    }
}
