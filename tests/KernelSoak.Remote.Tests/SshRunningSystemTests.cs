using KernelSoak.Boards.Strategy;

namespace KernelSoak.Remote.Tests;

/// <summary>The boot strategy's view of a running system, over a real sshd (the reboot command replaced: this is the host).</summary>
public class SshRunningSystemTests
{
    private ThrowawaySshd _sshd = null!;

    [SetUp]
    public void StartDaemon() => _sshd = ThrowawaySshd.Start();

    [TearDown]
    public void StopDaemon() => _sshd.Dispose();

    [Test]
    public async Task The_reboot_runs_on_the_board_and_a_new_boot_id_is_the_answer_with_its_session_kept()
    {
        var marker = Path.Combine(_sshd.Dir, "rebooted");
        var lost = 0;
        using var running = await SshTarget.ConnectAsync(_sshd.Endpoint());
        var system = new SshRunningSystem(_sshd.Endpoint(), _ => Task.FromResult(running), () => lost++) { RebootCommand = $"touch {marker}" };
        await system.RequestRebootAsync(CancellationToken.None);
        Assert.That(File.Exists(marker), "the reboot command ran on the board");
        Assert.That(lost, Is.EqualTo(1), "the caller is told its session is going");

        var (release, bootId) = await running.IdentityAsync();
        var up = await system.WaitForNewBootAsync("a boot before this one", TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.That(up, Is.EqualTo(new BootedSystem(release, bootId)));
        Assert.That(system.Answered, Is.Not.Null);
        Assert.That((await system.Answered!.RunAsync("echo still here")).Output.Trim(), Is.EqualTo("still here"));
        system.Answered.Dispose();

        Assert.ThrowsAsync<TimeoutException>(() => system.WaitForNewBootAsync(bootId, TimeSpan.FromSeconds(2), CancellationToken.None),
            "the same boot id is the old kernel still answering, never a new boot");
    }
}
