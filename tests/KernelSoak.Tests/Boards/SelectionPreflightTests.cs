using System.Diagnostics;
using KernelSoak.Boards.Strategy;

namespace KernelSoak.Tests.Boards;

/// <summary>Which selection methods a board supports, from its answers to the probe, and the refusal of one that would strand it.</summary>
public class SelectionPreflightTests
{
    // What the probe printed on the emulated board, before (old kernel) and after KEXEC was added to its fragment.
    private const string EmulatedWithKexec = "kexec-tool\nconfig\nCONFIG_KEXEC=y\nkexec-sysfs\n";
    private const string EmulatedBeforeKexec = "kexec-tool\nconfig\n";
    private const string KnownGoodAppend = "console=ttyAMA0 root=/dev/vdb rw mem=768M";

    private static SelectionPreflight Board(string probe, bool console = true, bool power = true, string testCommandLine = KnownGoodAppend) =>
        SelectionPreflight.Parse(probe, console, power, testCommandLine);

    [Test]
    public void The_emulated_board_with_kexec_supports_every_method()
    {
        var board = Board(EmulatedWithKexec);
        Assert.That((board.KexecTool, board.KernelKexec, board.KernelKexecFrom), Is.EqualTo((true, (bool?)true, "/proc/config.gz")));
        Assert.That(board.Supported, Is.EqualTo("serial-menu, flip-default, manual, kexec"));
        Assert.That(board.Refusal(LabelSelection.Kexec), Is.Null);
        Assert.That(board.Verdicts, Has.Count.EqualTo(Enum.GetValues<LabelSelection>().Length), "a verdict for every method");
    }

    [Test]
    public void Kexec_on_a_kernel_without_CONFIG_KEXEC_is_refused_with_where_that_was_read()
    {
        var refusal = Board(EmulatedBeforeKexec).Refusal(LabelSelection.Kexec);
        Assert.That(refusal, Does.Contain("boot_selection = \"kexec\"").And.Contain("no CONFIG_KEXEC (/proc/config.gz)")
            .And.Contain("This board supports: serial-menu, flip-default, manual"));
        Assert.That(Board("kexec-tool\nconfig\n# CONFIG_KEXEC is not set\n").KernelKexec, Is.False);
    }

    [Test]
    public void Kexec_on_an_earlier_test_kernel_without_CONFIG_KEXEC_is_allowed_through_a_reboot_into_the_default()
    {
        var verdict = (Board(EmulatedBeforeKexec) with { RunningOtherLabel = "kernelsoak" }).Verdict(LabelSelection.Kexec);
        Assert.That(verdict.Supported, Is.True);
        Assert.That(verdict.Detail, Does.Contain("label kernelsoak").And.Contain("reboots into the default label first"));
        Assert.That((Board("config\n") with { RunningOtherLabel = "kernelsoak" }).Refusal(LabelSelection.Kexec), Does.Contain("apt install kexec-tools"),
            "kexec-tools is the board's, whatever kernel runs");
    }

    [Test]
    public void Kexec_without_kexec_tools_is_refused_with_the_package_to_install() =>
        Assert.That(Board("config\nCONFIG_KEXEC=y\nkexec-sysfs\n").Refusal(LabelSelection.Kexec), Does.Contain("apt install kexec-tools").And.Not.Contain("CONFIG_KEXEC ("));

    [Test]
    public void Without_a_kernel_config_the_sysfs_file_of_kexec_decides()
    {
        var withSysfs = Board("kexec-tool\nkexec-sysfs\n");
        Assert.That((withSysfs.KernelKexec, withSysfs.Refusal(LabelSelection.Kexec)), Is.EqualTo(((bool?)true, (string?)null)));
        Assert.That(withSysfs.KernelKexecFrom, Does.Contain("no /proc/config.gz"));
        Assert.That(Board("kexec-tool\n").Refusal(LabelSelection.Kexec), Does.Contain("KEXEC_CORE is off"));
    }

    [Test]
    public void Kexec_without_a_power_switch_is_allowed_and_says_who_brings_a_hung_kernel_back()
    {
        var verdict = Board(EmulatedWithKexec, console: false, power: false).Verdict(LabelSelection.Kexec);
        Assert.That(verdict.Supported);
        Assert.That(verdict.Detail, Does.Contain("waits for a person to power-cycle it"));
    }

    [Test]
    public void Serial_menu_without_a_console_is_refused()
    {
        var board = Board(EmulatedWithKexec, console: false);
        Assert.That(board.Refusal(LabelSelection.ConsoleMenu), Does.Contain("no console"));
        Assert.That(board.Supported, Is.EqualTo("manual, kexec"), "flip-default too needs the console here: no panic= on the test label");
    }

    [TestCase(false, true, false, false, TestName = "flip-default: no panic=, power but no console: refused")]
    [TestCase(true, false, false, false, TestName = "flip-default: no panic=, console but no power: refused")]
    [TestCase(false, false, false, false, TestName = "flip-default: no panic=, nothing: refused")]
    [TestCase(true, true, false, true, TestName = "flip-default: console and power choose known-good after a cycle")]
    [TestCase(false, false, true, true, TestName = "flip-default: panic=N on the test label reboots a dead kernel")]
    public void Flip_default_needs_a_panic_reboot_or_console_and_power(bool console, bool power, bool panic, bool supported)
    {
        var board = Board(EmulatedWithKexec, console, power, KnownGoodAppend + (panic ? " panic=10" : ""));
        Assert.That(board.Verdict(LabelSelection.BoardDefault).Supported, Is.EqualTo(supported), board.Verdict(LabelSelection.BoardDefault).Detail);
        Assert.That(board.Refusal(LabelSelection.BoardDefault) is null, Is.EqualTo(supported));
    }

    [Test]
    public void Manual_is_always_possible() =>
        Assert.That(Board("", console: false, power: false).Refusal(LabelSelection.Person), Is.Null);

    [Test]
    public void The_probe_is_one_valid_shell_command_that_answers_on_any_linux()
    {
        // Run here, not on a board: this host's answers are what the probe must read (no kexec-tools assumed).
        using var sh = Process.Start(new ProcessStartInfo("sh", ["-c", SelectionPreflight.ProbeCommand]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = sh.StandardOutput.ReadToEnd();
        var errors = sh.StandardError.ReadToEnd();
        sh.WaitForExit();
        Assert.That((sh.ExitCode, errors), Is.EqualTo((0, "")));
        var host = Board(output);
        Assert.That(host.KexecTool, Is.EqualTo(Which("kexec")));
        Assert.That(host.KernelKexecFrom, Does.StartWith(File.Exists("/proc/config.gz") ? "/proc/config.gz" : File.Exists("/sys/kernel/kexec_loaded") ? "/sys" : "no /proc/config.gz"));
    }

    private static bool Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, program)));
}
