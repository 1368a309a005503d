using KernelSoak.Boot;

namespace KernelSoak.Boards.Strategy;

/// <summary>Whether the board can boot test kernels by one selection method, and why (in the campaign's words).</summary>
public sealed record SelectionVerdict(LabelSelection Selection, bool Supported, string Detail)
{
    public string Name => SelectionPreflight.CampaignName(Selection);
    public override string ToString() => $"{Name}: {(Supported ? "yes" : "no")} — {Detail}";
}

/// <summary>
/// Which selection methods a board supports, from what it answered (<see cref="ProbeCommand"/>) and what the
/// settings give it (a console, a power switch), and the refusal of a method that would strand it: one
/// that cannot choose the test kernel, or after which a test kernel that dies has nothing to bring the
/// board back on its known-good label.
/// </summary>
/// <param name="HasConsole">a console the tool reads and writes ([Console] Kind is not none)</param>
/// <param name="CanPowerCycle">a power switch ([Power] Switch is not none)</param>
/// <param name="KexecTool">kexec-tools' kexec on the board's PATH</param>
/// <param name="KernelKexec">the running (known-good) kernel has the kexec_load system call; null: it cannot be told</param>
/// <param name="KernelKexecFrom">where <paramref name="KernelKexec"/> was read</param>
/// <param name="TestCommandLine">the test label's command line (the default label's append + append_extra)</param>
public sealed record SelectionPreflight(bool HasConsole, bool CanPowerCycle, bool KexecTool, bool? KernelKexec, string KernelKexecFrom, string TestCommandLine)
{
    /// <summary>One round trip on the board: kexec-tools present, and CONFIG_KEXEC of the running kernel (its config, else the sysfs file KEXEC_CORE makes).</summary>
    public const string ProbeCommand =
        "command -v kexec >/dev/null 2>&1 && echo kexec-tool; " +
        "[ -r /proc/config.gz ] && { echo config; zcat /proc/config.gz | grep -E '^(CONFIG_KEXEC=|# CONFIG_KEXEC is not set)'; }; " +
        "[ -e /sys/kernel/kexec_loaded ] && echo kexec-sysfs; true";

    /// <summary>
    /// The label (not the default) whose kernel runs now, e.g. an earlier probe's test kernel: then the running
    /// kernel's KEXEC says nothing of known-good's, and the boot step kexecs from known-good after a reboot.
    /// </summary>
    public string? RunningOtherLabel { get; init; }

    /// <summary>The facts from <see cref="ProbeCommand"/>'s output and the settings.</summary>
    public static SelectionPreflight Parse(string probeOutput, bool hasConsole, bool canPowerCycle, string testCommandLine)
    {
        var lines = probeOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        var (kexec, from) = lines.Contains("config")
            ? (lines.Contains("CONFIG_KEXEC=y"), "/proc/config.gz")
            : lines.Contains("kexec-sysfs")
                ? ((bool?)true, "/sys/kernel/kexec_loaded (no /proc/config.gz)")
                : (false, "no /proc/config.gz and no /sys/kernel/kexec_loaded (KEXEC_CORE is off)");
        return new(hasConsole, canPowerCycle, lines.Contains("kexec-tool"), kexec, from, testCommandLine);
    }

    public bool TestKernelPanicReboots => KernelCommandLine.PanicReboots(TestCommandLine);

    /// <summary>Every method, supported or not, with why.</summary>
    public IReadOnlyList<SelectionVerdict> Verdicts => [.. Enum.GetValues<LabelSelection>().Select(Verdict)];

    /// <summary>The methods this board supports, in the campaign's words (for preflight's line).</summary>
    public string Supported => string.Join(", ", Verdicts.Where(v => v.Supported).Select(v => v.Name));

    public SelectionVerdict Verdict(LabelSelection selection) => selection switch
    {
        LabelSelection.ConsoleMenu => new(selection, HasConsole, HasConsole
            ? "the label is typed at U-Boot's menu over the console; the default stays known-good"
            : "no console to type the label at U-Boot's menu ([Console] Kind = none)"),
        LabelSelection.Person => new(selection, true, "a person picks the label at U-Boot's menu; the default stays known-good"),
        LabelSelection.Kexec => KexecVerdict(),
        LabelSelection.BoardDefault => FlipVerdict(),
        _ => throw new ArgumentOutOfRangeException(nameof(selection), selection, null),
    };

    /// <summary>Null when <paramref name="wanted"/> is safe on this board; else why it is refused and what the board supports instead.</summary>
    public string? Refusal(LabelSelection wanted)
    {
        var verdict = Verdict(wanted);
        return verdict.Supported ? null
            : $"boot_selection = \"{verdict.Name}\" would strand this board or cannot boot the test kernel: {verdict.Detail}. This board supports: {Supported}";
    }

    private SelectionVerdict KexecVerdict()
    {
        var missing = new List<string>();
        if (!KexecTool) missing.Add("kexec-tools is not installed (Debian: apt install kexec-tools, and answer no to 'handle reboots')");
        if (KernelKexec != true && RunningOtherLabel is null) missing.Add($"the running kernel has no CONFIG_KEXEC ({KernelKexecFrom})");
        if (missing.Count > 0) return new(LabelSelection.Kexec, false, string.Join("; ", missing));
        if (KernelKexec != true)
            return new(LabelSelection.Kexec, true, $"the running kernel (label {RunningOtherLabel}) has no CONFIG_KEXEC ({KernelKexecFrom}): " +
                "the boot step reboots into the default label first and kexecs from there, and stops with the board on it if that kernel cannot either");
        return new(LabelSelection.Kexec, true, "the running kernel starts the test kernel with panic=N, so one that dies reboots into the untouched default" +
            (CanPowerCycle ? "; one that hangs is power-cycled" : "; one that hangs without panicking waits for a person to power-cycle it (no power switch)"));
    }

    private SelectionVerdict FlipVerdict()
    {
        if (TestKernelPanicReboots)
            return new(LabelSelection.BoardDefault, true, $"panic={KernelCommandLine.PanicSeconds(TestCommandLine)} on the test label reboots a test kernel that dies; " +
                "until the flip is undone that reboot boots the test label again");
        if (HasConsole && CanPowerCycle)
            return new(LabelSelection.BoardDefault, true, "a test kernel that dies is power-cycled and known-good is chosen at U-Boot's menu over the console");
        return new(LabelSelection.BoardDefault, false, "the test label has no panic=N and the board has " +
            (HasConsole ? "no power switch" : CanPowerCycle ? "no console to choose known-good after a power cycle" : "neither console nor power switch") +
            ": a test kernel that dies leaves it on the flipped default (add panic=N to install.append_extra, or use kexec)");
    }

    /// <summary>The campaign's word for a method (install.boot_selection).</summary>
    public static string CampaignName(LabelSelection selection) => selection switch
    {
        LabelSelection.ConsoleMenu => "serial-menu",
        LabelSelection.BoardDefault => "flip-default",
        LabelSelection.Person => "manual",
        LabelSelection.Kexec => "kexec",
        _ => selection.ToString(),
    };
}
