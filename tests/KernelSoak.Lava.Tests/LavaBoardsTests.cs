using KernelSoak.Lava.Farm;
using KernelSoak.Settings;

namespace KernelSoak.Lava.Tests;

/// <summary>k for a round: the devices of the type that take jobs, capped by [Lava] Boards; one artifact port per job.</summary>
public class LavaBoardsTests
{
    private static LavaSettings Settings(int boards = 0, int port = 0) => new() { Server = "http://lava.test:8000", Token = FakeLava.Token, Boards = boards, ArtifactPort = port };

    [Test]
    public async Task The_devices_that_take_jobs_are_the_boards_capped_by_the_setting()
    {
        var lava = new FakeLava { Devices = [("qemu-01", "Good"), ("qemu-02", "Unknown"), ("qemu-03", "Bad"), ("qemu-04", "Retired")] };
        var (k, why) = await LavaBoards.AskAsync(Settings(), lava);
        Assert.That(k, Is.EqualTo(2), "LAVA schedules to Good and Unknown devices only");
        Assert.That(why, Does.Contain("2 qemu device(s) take jobs: rounds of up to 2 job(s)"));
        Assert.That((await LavaBoards.AskAsync(Settings(boards: 1), lava)).Boards, Is.EqualTo(1));
        Assert.That(lava.Requests.Count(r => r.Contains("/devices/", StringComparison.Ordinal)), Is.EqualTo(1), "Boards = 1 asks nothing: one probe at a time, as before rounds");
        var four = new FakeLava { Devices = [.. Enumerable.Range(1, 8).Select(i => ($"qemu-{i:00}", "Good"))] };
        Assert.That((await LavaBoards.AskAsync(Settings(boards: 4), four)).Boards, Is.EqualTo(4));
    }

    [Test]
    public async Task A_board_of_its_own_searches_one_probe_at_a_time_and_a_dry_run_asks_no_server()
    {
        var lava = new FakeLava { Devices = [("qemu-01", "Good"), ("qemu-02", "Good")] };
        foreach (var kind in new[] { BoardKind.Qemu, BoardKind.Ssh })
            Assert.That(await LavaBoards.ForSearchAsync(new BoardSettings { Kind = kind }, Settings(), dryRun: false, lava), Is.EqualTo((1, (string?)null)));
        var farm = new BoardSettings { Kind = BoardKind.Lava };
        Assert.That((await LavaBoards.ForSearchAsync(farm, Settings(boards: 3), dryRun: true, lava)).Boards, Is.EqualTo(3));
        Assert.That(lava.Requests, Is.Empty, "neither a local board nor a dry run asks the server");
        Assert.That((await LavaBoards.ForSearchAsync(farm, Settings(), dryRun: false, lava)).Boards, Is.EqualTo(2));
    }

    [Test]
    public async Task No_device_or_no_answer_is_one_board_never_zero()
    {
        Assert.That(LavaBoards.Count(Settings(), []), Is.EqualTo(1));
        var (k, why) = await LavaBoards.AskAsync(Settings(), new FakeLava { Status = System.Net.HttpStatusCode.Unauthorized });
        Assert.That(k, Is.EqualTo(1));
        Assert.That(why, Does.Contain("one probe at a time").And.Not.Contain(FakeLava.Token));
    }

    [Test]
    public void A_fixed_artifact_port_becomes_one_port_per_job_of_the_round()
    {
        Assert.That(LavaBoards.ArtifactPort(Settings(), 3), Is.Zero, "any free port stays any");
        Assert.That(LavaBoards.ArtifactPort(Settings(port: 8100), 0), Is.EqualTo(8100));
        Assert.That(LavaBoards.ArtifactPort(Settings(port: 8100), 1), Is.EqualTo(8101));
        Assert.Throws<SettingsException>(() => LavaBoards.ArtifactPort(Settings(port: 65535), 1));
    }
}
