using System.Net;
using System.Net.Sockets;
using KernelSoak.Boards.Qemu;
using KernelSoak.Processes;

namespace KernelSoak.Board.Tests;

/// <summary>
/// Brings the emulated board up once for the whole e2e run (building it if needed: the kernel comes
/// from the cache keyed by config+source hash) and powers it off afterwards, also when tests fail.
/// </summary>
[SetUpFixture]
public sealed class BoardFixture
{
    public static QemuBoard Board { get; private set; } = null!;
    public static string RepoRoot { get; private set; } = "";

    [OneTimeSetUp]
    public async Task PowerOn()
    {
        RepoRoot = FindRoot();
        var dir = Path.Combine(RepoRoot, "artifacts", "e2e-board");
        Board = new QemuBoard(dir, Path.Combine(RepoRoot, "targets", "qemu-arm64"), FreePort());
        if (Board.Power.IsOn) await Board.Power.OffAsync();   // left over from a killed run
        // A fresh image per run: the tests change extlinux.conf, pstore and the root fs.
        if (File.Exists(Path.Combine(dir, "built-from"))) File.Delete(Path.Combine(dir, "built-from"));
        var runner = new CommandRunner(new ProgressLog());
        await Board.BuildAsync(runner, new Dictionary<string, string?>(), line => TestContext.Progress.WriteLine(line));
        PrebuildCampaignKernel();
        using var ssh = await Board.UpAsync(TimeSpan.FromSeconds(120));
    }

    /// <summary>
    /// The e2e campaign's kernel is built before the board is powered on: an idle emulated board costs
    /// most of a host core, which a cold kernel build on 2 cores feels.
    /// </summary>
    private static void PrebuildCampaignKernel()
    {
        using var campaign = new E2eCampaign("e2e");
        foreach (var target in new[] { "ConfigureKernel", "CompileKernel" })
        {
            var (exit, output) = campaign.Build($"--target={target}", "--exclusive");
            Assert.That(exit, Is.Zero, output);
        }
    }

    [OneTimeTearDown]
    public async Task PowerOff()
    {
        if (Board is not null) await Board.Power.OffAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "build.sh")) && Directory.Exists(Path.Combine(dir.FullName, "targets")))
                return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    private sealed class ProgressLog : ICommandLog
    {
        public void Started(CommandLine command) => TestContext.Progress.WriteLine($"$ {command}");
        public void Finished(CommandResult result) => TestContext.Progress.WriteLine($"  exit {result.ExitCode} in {result.Duration.TotalSeconds:0.0} s");
    }
}
