using System.Diagnostics;
using KernelSoak.Boards.Consoles;
using KernelSoak.Boards.Strategy;
using KernelSoak.Reports;
using static KernelSoak.Tests.Boards.ScriptedBoard;

namespace KernelSoak.Tests.Boards;

/// <summary>The boot state machine against scripted console transcripts (no board): every path from a reboot to Shell, NoBoot or Stranded.</summary>
public partial class BootStrategyTests
{
    private const string Good = "6.1.0-good", Test = "6.12.0-ks";
    private string _dir = null!;
    private readonly List<string> _said = [];

    [SetUp]
    public void MakeDir()
    {
        _dir = Directory.CreateTempSubdirectory("ks-strategy-").FullName;
        _said.Clear();
    }

    [TearDown]
    public void Remove() => Directory.Delete(_dir, recursive: true);

    private static ScriptedBoard Board(IReadOnlyList<KernelStep> test, string defaultLabel = "known-good") => new()
    {
        Send = _ => Task.CompletedTask,
        Menu = [("known-good", $"known-good Debian {Good}"), ("kstest", $"kstest KernelSoak {Test}")],
        DefaultLabel = defaultLabel,
        Kernels = new Dictionary<string, IReadOnlyList<KernelStep>> { ["known-good"] = Scripts.Boots(Good), ["kstest"] = test },
    };

    private CapturedConsole Console(ScriptedBoard board) => CapturedConsole.Start(new WireTransport(board), Path.Combine(_dir, "console.log"));

    private static BootRequest Request(LabelSelection selection = LabelSelection.ConsoleMenu, bool defaultIsTest = false, int cycles = 1, double timeoutS = 3) =>
        new(Test, "kstest", "known-good", selection, defaultIsTest, "boot-before", TimeSpan.FromSeconds(timeoutS), cycles)
        {
            MenuTimeout = TimeSpan.FromSeconds(3),
        };

    private static IEnumerable<BootState> States(BootOutcome o) => o.Trace.Select(t => t.To);

    [Test]
    public async Task A_kernel_chosen_at_the_menu_goes_through_every_state_to_shell()
    {
        await using var board = Board(Scripts.Boots(Test));
        await using var console = Console(board);
        var outcome = await new BootStrategy(board, board, console, _said.Add).BootAsync(Request());
        Assert.That(outcome.Final, Is.EqualTo(BootState.Shell), string.Join("\n", outcome.Trace));
        Assert.That(States(outcome), Is.EqualTo(new[] { BootState.Off, BootState.BootLoader, BootState.LabelChosen, BootState.Kernel, BootState.Shell }));
        Assert.That(outcome.System, Is.EqualTo(new BootedSystem(Test, "boot-1")));
        Assert.That(board.Choices, Is.EqualTo(new[] { "2" }), "the test label's number, typed once");
        Assert.That(board.Resets, Is.Zero);
        Assert.That(File.ReadAllText(console.CapturePath), Does.Contain("Enter choice: 2\r\n").And.Contain($"Linux version {Test}"), "captured from the reboot on");
    }

    [Test]
    public async Task A_panic_ends_the_boot_at_once_with_its_title_and_the_board_is_power_cycled_back_to_known_good()
    {
        await using var board = Board(Scripts.Panics(Test));
        await using var console = Console(board);
        var seen = new List<KernelReport>();
        var strategy = new BootStrategy(board, board, console, _said.Add);
        strategy.ReportSeen += seen.Add;
        var watch = Stopwatch.StartNew();
        var outcome = await strategy.BootAsync(Request(timeoutS: 30));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "the 30 s boot timeout never ran out");
        Assert.That(outcome.Final, Is.EqualTo(BootState.NoBoot), string.Join("\n", outcome.Trace));
        Assert.That(outcome.Cause, Is.EqualTo(NoBootCause.Panic));
        Assert.That(outcome.Report!.Class, Is.EqualTo(ReportClass.Panic));
        Assert.That(outcome.Report.Title, Does.Contain("Unable to mount root fs on unknown-block"), "the classifier's title (numbers normalised)");
        Assert.That(outcome.Detail, Does.Contain(outcome.Report.Title));
        Assert.That(outcome.ConsoleTail, Does.Contain("end Kernel panic"), "the verdict quotes the console's last lines");
        Assert.That(States(outcome), Is.EqualTo(new[] { BootState.Off, BootState.BootLoader, BootState.LabelChosen, BootState.Kernel,
            BootState.Recovering, BootState.PowerCycling, BootState.Off, BootState.NoBoot }));
        Assert.That(outcome.System!.Release, Is.EqualTo(Good), "back on the known-good kernel (the default)");
        Assert.That(board.Resets, Is.EqualTo(1));
        Assert.That(seen.Select(r => r.Class), Does.Contain(ReportClass.Panic));
    }

    [Test]
    public async Task A_silent_kernel_is_power_cycled_and_the_board_coming_up_on_its_default_is_no_boot()
    {
        await using var board = Board(Scripts.Hangs(Test));
        await using var console = Console(board);
        var outcome = await new BootStrategy(board, board, console).BootAsync(Request(timeoutS: 1.5));
        Assert.That(outcome.Final, Is.EqualTo(BootState.NoBoot), string.Join("\n", outcome.Trace));
        Assert.That(outcome.Cause, Is.EqualTo(NoBootCause.WrongKernel));
        Assert.That(outcome.Detail, Does.Contain($"came up on {Good}, not {Test}"));
        Assert.That(States(outcome), Is.EqualTo(new[] { BootState.Off, BootState.BootLoader, BootState.LabelChosen, BootState.Kernel,
            BootState.PowerCycling, BootState.Off, BootState.LabelChosen, BootState.Kernel, BootState.NoBoot }));
        Assert.That(board.Choices, Is.EqualTo(new[] { "2" }), "after the cycle nothing is typed: the default is known-good");
    }

    [Test]
    public async Task With_the_default_flipped_a_power_cycle_chooses_the_known_good_label_at_the_menu()
    {
        await using var board = Board(Scripts.Hangs(Test), defaultLabel: "kstest");
        await using var console = Console(board);
        var outcome = await new BootStrategy(board, board, console).BootAsync(Request(LabelSelection.BoardDefault, defaultIsTest: true, timeoutS: 1.5));
        Assert.That(outcome.Final, Is.EqualTo(BootState.NoBoot), string.Join("\n", outcome.Trace));
        Assert.That(board.Choices, Is.EqualTo(new[] { "1" }), "nothing typed on the first boot (the default is the test label), known-good's number after the cycle");
        Assert.That(outcome.System!.Release, Is.EqualTo(Good));
    }

    [Test]
    public async Task A_label_missing_from_the_menu_is_no_boot_once_the_default_comes_up()
    {
        await using var board = Board(Scripts.Boots(Test));
        await using var console = Console(board);
        var request = Request() with { Label = "kstest-old" };
        var outcome = await new BootStrategy(board, board, console).BootAsync(request);
        Assert.That(outcome.Final, Is.EqualTo(BootState.NoBoot), string.Join("\n", outcome.Trace));
        Assert.That(outcome.Cause, Is.EqualTo(NoBootCause.LabelNotInMenu));
        Assert.That(outcome.Detail, Does.Contain("kstest-old is not in U-Boot's menu").And.Contain("2 kstest KernelSoak"));
        Assert.That(board.Resets, Is.Zero, "U-Boot's own default brought it back");
    }

    [Test]
    public async Task Without_console_or_power_a_silent_kernel_strands_the_board_with_what_a_person_must_do()
    {
        await using var board = Board(Scripts.Hangs(Test), defaultLabel: "kstest");
        board.Send = _ => Task.CompletedTask;
        var outcome = await new BootStrategy(board, null, null).BootAsync(Request(LabelSelection.BoardDefault, defaultIsTest: true, timeoutS: 0.8));
        Assert.That(outcome.Final, Is.EqualTo(BootState.Stranded), string.Join("\n", outcome.Trace));
        Assert.That(outcome.Detail, Does.Contain("default is still the test label kstest").And.Contain("choose known-good"));
        Assert.That(outcome.ConsoleTail, Is.EqualTo("(no console)"));
        Assert.That(States(outcome), Is.EqualTo(new[] { BootState.Off, BootState.Recovering, BootState.Stranded }));
    }

    [Test]
    public async Task A_kernel_with_panic_reboot_comes_back_by_itself_without_a_power_cycle()
    {
        // panic=N: the kernel reboots itself; U-Boot then boots its default (known-good).
        ScriptedBoard? self = null;
        IReadOnlyList<KernelStep> panicsThenReboots = [.. Scripts.Panics(Test), new KernelStep(Pause: TimeSpan.FromMilliseconds(300), Then: () => _ = self!.ResetAsync())];
        await using var board = Board(panicsThenReboots);
        self = board;
        await using var console = Console(board);
        var outcome = await new BootStrategy(board, null, console).BootAsync(Request(timeoutS: 5) with { PanicReboots = true });
        Assert.That(outcome.Final, Is.EqualTo(BootState.NoBoot), string.Join("\n", outcome.Trace));
        Assert.That(outcome.Cause, Is.EqualTo(NoBootCause.Panic));
        Assert.That(outcome.System!.Release, Is.EqualTo(Good));
        Assert.That(States(outcome), Does.Not.Contain(BootState.PowerCycling));
    }

    [Test]
    public async Task An_oops_that_the_kernel_survives_is_reported_but_does_not_end_the_boot()
    {
        const string oops = "[    3.000000] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000008\r\n" +
            "[    3.000100] Internal error: Oops: 0000000096000004 [#1] PREEMPT SMP\r\n[    3.000200] ---[ end trace 0000000000000000 ]---\r\n";
        await using var board = Board(Scripts.Boots(Test, oops));
        await using var console = Console(board);
        var seen = new List<KernelReport>();
        var strategy = new BootStrategy(board, board, console);
        strategy.ReportSeen += seen.Add;
        var outcome = await strategy.BootAsync(Request());
        Assert.That(outcome.Final, Is.EqualTo(BootState.Shell), string.Join("\n", outcome.Trace));
        Assert.That(seen.Select(r => r.Class), Is.EqualTo(new[] { ReportClass.Oops }));
    }

    [Test]
    public void Serial_menu_without_a_console_is_refused_before_anything_happens()
    {
        var board = Board(Scripts.Boots(Test));
        var e = Assert.ThrowsAsync<InvalidOperationException>(() => new BootStrategy(board, board, null).BootAsync(Request()));
        Assert.That(e!.Message, Does.Contain("[Console] Kind"));
        Assert.That(board.RebootRequests, Is.Zero);
    }
}
