using KernelSoak.Boards.Strategy;
using KernelSoak.Reports;
using static KernelSoak.Tests.Boards.ScriptedBoard;

namespace KernelSoak.Tests.Boards;

/// <summary>boot_selection = kexec: no boot loader on the way in, U-Boot's default (known-good) on the way back.</summary>
public partial class BootStrategyTests
{
    private const string KnownGoodAppend = "console=ttyAMA0 root=/dev/vdb rw mem=768M";

    private static BootRequest KexecRequestFor(string image, string commandLine, double timeoutS = 3) =>
        Request(LabelSelection.Kexec, timeoutS: timeoutS) with { Kexec = new KexecRequest(image, commandLine) };

    /// <summary>panic=N: after the panic the kernel reboots by itself, through U-Boot into its default.</summary>
    private static IReadOnlyList<KernelStep> PanicsThenRebootsItself(Func<ScriptedBoard> self) =>
        [.. Scripts.Panics(Test), new KernelStep(Pause: TimeSpan.FromMilliseconds(300), Then: () => _ = self().RebootByItselfAsync())];

    [Test]
    public async Task A_kexec_goes_from_the_running_kernel_to_the_test_kernel_without_U_Boot()
    {
        await using var board = Board(Scripts.Boots(Test));
        await using var console = Console(board);
        var outcome = await new BootStrategy(board, board, console).BootAsync(KexecRequestFor("/boot/firmware/Image-kstest", $"{KnownGoodAppend} panic=5"));
        Assert.That(outcome.Final, Is.EqualTo(BootState.Shell), string.Join("\n", outcome.Trace));
        Assert.That(States(outcome), Is.EqualTo(new[] { BootState.Off, BootState.Kernel, BootState.Shell }));
        Assert.That(outcome.Trace[0].Why, Does.Contain("kexec of /boot/firmware/Image-kstest").And.Contain("default stays known-good"));
        Assert.That(outcome.System!.Release, Is.EqualTo(Test));
        Assert.That(board.Kexecs.Single().CommandLine, Is.EqualTo($"{KnownGoodAppend} panic=5"));
        Assert.That((board.RebootRequests, board.Resets, board.Choices.Count), Is.EqualTo((0, 0, 0)), "no reboot, no power, nothing typed");
        Assert.That(File.ReadAllText(console.CapturePath), Does.Not.Contain("U-Boot").And.Contain("kexec_core: Starting new kernel"));
    }

    [Test]
    public async Task A_kexec_test_kernel_with_panic_N_that_dies_comes_back_on_known_good_by_itself_although_a_power_switch_is_there()
    {
        ScriptedBoard? self = null;
        await using var board = Board(PanicsThenRebootsItself(() => self!));
        self = board;
        await using var console = Console(board);
        // PanicReboots is not set by hand: panic=5 on the kexec command line says it.
        var outcome = await new BootStrategy(board, board, console).BootAsync(KexecRequestFor("/boot/firmware/Image-kstest", $"{KnownGoodAppend} panic=5", timeoutS: 10));
        Assert.That(outcome.Final, Is.EqualTo(BootState.NoBoot), string.Join("\n", outcome.Trace));
        Assert.That(outcome.Cause, Is.EqualTo(NoBootCause.Panic));
        Assert.That(outcome.Report!.Class, Is.EqualTo(ReportClass.Panic));
        Assert.That(outcome.System!.Release, Is.EqualTo(Good), "back on U-Boot's default, never edited");
        Assert.That(States(outcome), Is.EqualTo(new[] { BootState.Off, BootState.Kernel, BootState.Recovering, BootState.NoBoot }));
        Assert.That((board.SelfReboots, board.Resets), Is.EqualTo((1, 0)), "the kernel's own reboot, not the power switch");
    }

    [Test]
    public async Task A_kexec_test_kernel_without_panic_N_that_dies_needs_the_power_switch()
    {
        await using var board = Board(Scripts.Panics(Test));
        await using var console = Console(board);
        var outcome = await new BootStrategy(board, board, console).BootAsync(KexecRequestFor("/boot/firmware/Image-kstest", KnownGoodAppend, timeoutS: 10));
        Assert.That(outcome.Final, Is.EqualTo(BootState.NoBoot), string.Join("\n", outcome.Trace));
        Assert.That(States(outcome), Is.EqualTo(new[] { BootState.Off, BootState.Kernel, BootState.Recovering, BootState.PowerCycling, BootState.Off, BootState.NoBoot }));
        Assert.That(board.Resets, Is.EqualTo(1));
        Assert.That(outcome.System!.Release, Is.EqualTo(Good));
    }

    [Test]
    public async Task A_silent_kexec_test_kernel_is_power_cycled_through_U_Boot_onto_its_default()
    {
        await using var board = Board(Scripts.Hangs(Test));
        await using var console = Console(board);
        var outcome = await new BootStrategy(board, board, console).BootAsync(KexecRequestFor("/boot/firmware/Image-kstest", $"{KnownGoodAppend} panic=5", timeoutS: 1.5));
        Assert.That(outcome.Final, Is.EqualTo(BootState.NoBoot), string.Join("\n", outcome.Trace));
        Assert.That(outcome.Cause, Is.EqualTo(NoBootCause.WrongKernel));
        Assert.That(States(outcome), Is.EqualTo(new[] { BootState.Off, BootState.Kernel,
            BootState.PowerCycling, BootState.Off, BootState.LabelChosen, BootState.Kernel, BootState.NoBoot }), "after the cycle U-Boot is on the way again");
        Assert.That(board.Choices, Is.Empty, "nothing typed: the default is known-good");
    }

    [Test]
    public async Task A_running_kernel_that_cannot_kexec_is_left_for_the_default_label_and_the_kexec_starts_from_there()
    {
        // The board still runs an earlier probe's test kernel, built without KEXEC.
        await using var board = Board(Scripts.Boots(Test));
        board.KexecRefusals = 1;
        await using var console = Console(board);
        var said = new List<string>();
        var outcome = await new BootStrategy(board, board, console, said.Add).BootAsync(KexecRequestFor("/boot/firmware/Image-kstest", $"{KnownGoodAppend} panic=5", timeoutS: 10));
        Assert.That(outcome.Final, Is.EqualTo(BootState.Shell), string.Join("\n", outcome.Trace));
        Assert.That(outcome.System!.Release, Is.EqualTo(Test), "the known-good boot in between is not taken for the test kernel's answer");
        Assert.That(States(outcome), Is.EqualTo(new[] { BootState.Off, BootState.Off, BootState.Kernel, BootState.Shell }));
        Assert.That(outcome.Trace[1].Why, Does.Contain($"kexec of /boot/firmware/Image-kstest requested from {Good}"));
        Assert.That(said.Single(), Does.Contain("Function not implemented").And.Contain("rebooting into the default label known-good"));
        Assert.That((board.RebootRequests, board.Kexecs.Count, board.Choices.Count), Is.EqualTo((1, 1, 0)), "one reboot into U-Boot's default, nothing typed");
    }

    [Test]
    public async Task A_kexec_that_the_default_labels_kernel_cannot_load_either_is_a_set_up_error_with_the_board_on_known_good()
    {
        await using var board = Board(Scripts.Boots(Test));
        board.KexecRefusals = 2;
        var e = Assert.ThrowsAsync<KexecUnavailableException>(() => new BootStrategy(board, board, null).BootAsync(KexecRequestFor("/boot/firmware/Image-kstest", KnownGoodAppend)));
        Assert.That(e!.Message, Does.Contain($"{Good} (label known-good, U-Boot's default) did not load it either").And.Contain("use manual"));
        Assert.That((board.RebootRequests, board.Kexecs.Count), Is.EqualTo((1, 0)));
        Assert.That(board.Up?.Release, Is.EqualTo(Good), "left on known-good");
        var gone = Assert.ThrowsAsync<KexecUnavailableException>(() => new BootStrategy(board, board, null).BootAsync(KexecRequestFor("/boot/firmware/Image-gone", KnownGoodAppend)));
        Assert.That(gone!.Message, Does.Contain("Image-gone"), "a file that is not there: the load's own message");
    }

    [Test]
    public void Kexec_without_a_request_or_with_the_default_flipped_is_refused_before_anything_happens()
    {
        var board = Board(Scripts.Boots(Test));
        Assert.ThrowsAsync<InvalidOperationException>(() => new BootStrategy(board, board, null).BootAsync(Request(LabelSelection.Kexec)));
        var flipped = KexecRequestFor("/boot/firmware/Image-kstest", KnownGoodAppend) with { DefaultIsTestLabel = true };
        Assert.ThrowsAsync<InvalidOperationException>(() => new BootStrategy(board, board, null).BootAsync(flipped));
        Assert.That((board.RebootRequests, board.Kexecs.Count), Is.EqualTo((0, 0)));
    }
}
