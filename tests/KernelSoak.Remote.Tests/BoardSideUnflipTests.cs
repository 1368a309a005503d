using System.Diagnostics;
using KernelSoak.Boot;
using KernelSoak.Deploy;
using KernelSoak.Journal;

namespace KernelSoak.Remote.Tests;

/// <summary>
/// flip-default's undo from the board's side, over a real sshd: the flip arms it, the hook the board runs
/// at boot (here: the script run as the init would run it) puts the file back byte for byte, the run's own
/// restore then finds nothing to do, and a stale copy never overwrites a newer file.
/// </summary>
[TestFixture]
public sealed class BoardSideUnflipTests : ScratchBoardFixture
{
    private string _journal = "";

    [SetUp]
    public void BusyboxStyleBoard()
    {
        _journal = Path.Combine(Path.GetDirectoryName(Board.Root)!, "journal");
        Directory.CreateDirectory(Path.Combine(Board.Root, "etc", "init.d")); // an init that runs /etc/init.d/S??* (busybox, buildroot)
    }

    /// <summary>The board's boot running its hooks (the emulated board's rcS does exactly this loop).</summary>
    private void BootHooks()
    {
        var start = new ProcessStartInfo("sh", ["-c", $"for s in {Board.Root}/etc/init.d/S[0-9][0-9]*; do [ -x \"$s\" ] && \"$s\" start; done"])
            { RedirectStandardError = true, RedirectStandardOutput = true };
        using var hooks = Process.Start(start)!;
        var errors = hooks.StandardError.ReadToEnd();
        hooks.WaitForExit();
        Assert.That(hooks.ExitCode, Is.Zero, errors);
    }

    /// <summary>A kernel installed over SSH and its label flipped to the default through the journal, as a flip-default boot does.</summary>
    private sealed record Flipped(SshTarget Session, RunJournal Journal, DefaultFlipJournal Flip, byte[] Installed) : IDisposable
    {
        public void Dispose()
        {
            Journal.Dispose();
            Session.Dispose();
        }
    }

    private async Task<Flipped> FlipAsync()
    {
        var (ssh, installer) = await ConnectAsync();
        await InstallAsync(installer);
        var installed = await File.ReadAllBytesAsync(Board.ExtlinuxPath);
        var journal = RunJournal.Open(_journal);
        var flip = new DefaultFlipJournal(journal, installer, Said.Add);
        await flip.FlipAsync("boot", Board.Layout.Label);
        return new Flipped(ssh, journal, flip, installed);
    }

    [Test]
    public async Task The_board_puts_the_default_back_at_its_next_boot_and_the_run_then_has_nothing_to_restore()
    {
        using var flipped = await FlipAsync();
        var (flip, installed) = (flipped.Flip, flipped.Installed);
        var unflip = new BoardSideUnflip(Board.Layout);
        Assert.That(ExtlinuxConfig.Parse(await File.ReadAllTextAsync(Board.ExtlinuxPath)).DefaultLabel!.Name, Is.EqualTo(Board.Layout.Label));
        Assert.That(File.ReadAllBytes(unflip.Original), Is.EqualTo(installed), "the file as it was, kept on the board");
        Assert.That(File.ReadAllBytes(unflip.Flipped), Is.EqualTo(File.ReadAllBytes(Board.ExtlinuxPath)), "the flip's own bytes, to recognise it");
        Assert.That(Said, Has.Some.Contains("the board puts arch_devices back itself early in its next boot (init.d hook"));

        BootHooks();
        Assert.That(await File.ReadAllBytesAsync(Board.ExtlinuxPath), Is.EqualTo(installed), "back byte for byte, before anyone logged in");
        Assert.That(File.Exists(unflip.Original) || File.Exists(unflip.Flipped), Is.False, "nothing left for a later boot");

        await flip.RestoreAsync("the test kernel is verified");
        Assert.That(Said, Has.Some.Contains("default label arch_devices was already in force"));
        Assert.That(flip.Pending, Is.Null);
        BootHooks(); // every later boot: a no-op
        Assert.That(await File.ReadAllBytesAsync(Board.ExtlinuxPath), Is.EqualTo(installed));
    }

    [Test]
    public async Task A_stale_copy_never_overwrites_a_file_changed_since_the_flip()
    {
        using var flipped = await FlipAsync();
        var changed = (await File.ReadAllTextAsync(Board.ExtlinuxPath)) + "# edited by someone since\n";
        await File.WriteAllTextAsync(Board.ExtlinuxPath, changed);
        BootHooks();
        Assert.That(await File.ReadAllTextAsync(Board.ExtlinuxPath), Is.EqualTo(changed), "not the flipped file any more: left alone");
        var unflip = new BoardSideUnflip(Board.Layout);
        Assert.That(File.Exists(unflip.Original), Is.False, "and the stale copy is gone");
    }

    [Test]
    public async Task The_run_restoring_first_disarms_the_board_side_undo()
    {
        using var flipped = await FlipAsync();
        await flipped.Flip.RestoreAsync("the test kernel is verified");
        var unflip = new BoardSideUnflip(Board.Layout);
        Assert.That(File.Exists(unflip.Original) || File.Exists(unflip.Flipped), Is.False);
        Assert.That(await File.ReadAllBytesAsync(Board.ExtlinuxPath), Is.EqualTo(flipped.Installed));
    }
}
