namespace KernelSoak.Reports;

public enum ReportClass
{
    Kasan, Kcsan, Lockdep, AtomicSleep, Odebug, ListCorruption, Warning, Bug, Oops, Panic,
    SoftLockup, HungTask, RcuStall, Ubsan, Refcount, Kmsan, Kfence, MemoryLeak,
    /// <summary>The machine rebooted in the middle of the run (a boot banner where none was expected).</summary>
    Reboot,
    /// <summary>The test harness's own failure (syzkaller's executor), not the kernel's.</summary>
    Harness,
}

/// <summary>A kernel report as a value: what fired, where, the text, and which stream saw it when.</summary>
public sealed record KernelReport(
    ReportClass Class,
    string Title,
    string FirstLine,
    string? GuiltyFunction,
    IReadOnlyList<string> Lines,
    string Source,
    double? Timestamp,
    int LineNumber)
{
    /// <summary>Other titles that name the same bug (syzkaller's alt titles: "bad-access in f", the frame with its syscall prefix).</summary>
    public IReadOnlyList<string> AltTitles { get; init; } = [];

    /// <summary>
    /// The function at fault as one report shows it (the first frame past the reporting and locking
    /// machinery); <see cref="GuiltyFunction"/> is syzkaller's frame, chosen to group reports of one bug.
    /// </summary>
    public string? Culprit { get; init; }

    /// <summary>Why the report is not trusted (its header lost, no frames under a stack heading …); null when it is.</summary>
    public string? Corrupted { get; init; }

    /// <summary>The kernel does not come back from this kind (a panic).</summary>
    public bool EndsBoot { get; init; }

    /// <summary>The lines of <see cref="Lines"/> before the header (a "cut here", a WARN() message).</summary>
    public int PreludeLines { get; init; }

    /// <summary>The log's line number of the report's last line.</summary>
    public int EndLineNumber { get; init; }

    /// <summary>
    /// Where the report's text sits in the log, in bytes (syzkaller's StartPos/EndPos): the start of its first
    /// line (the prelude's, when it has one) and the end of its last, before that line's "\n" or "\r\n".
    /// Null when the lines came without their place in a file (a live stream, text handed over as strings).
    /// </summary>
    public long? StartOffset { get; init; }
    public long? EndOffset { get; init; }

    public string Text => Lines is ReportLines joined ? joined.ToString() : string.Join('\n', Lines);

    /// <summary>syzkaller's class names (KASAN, ATOMIC_SLEEP …) as the corpus labels them.</summary>
    public string ClassName => Class switch
    {
        ReportClass.AtomicSleep => "ATOMIC_SLEEP",
        ReportClass.ListCorruption => "LIST_CORRUPTION",
        ReportClass.SoftLockup => "SOFTLOCKUP",
        ReportClass.HungTask => "HUNG_TASK",
        ReportClass.RcuStall => "RCU_STALL",
        ReportClass.MemoryLeak => "MEMORY_LEAK",
        _ => Class.ToString().ToUpperInvariant(),
    };
}
