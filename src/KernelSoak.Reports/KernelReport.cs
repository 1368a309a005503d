namespace KernelSoak.Reports;

public enum ReportClass
{
    Kasan, Kcsan, Lockdep, AtomicSleep, Odebug, ListCorruption, Warning, Bug, Oops, Panic,
    SoftLockup, HungTask, RcuStall, Ubsan, Refcount,
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
    public string Text => Lines is ReportLines joined ? joined.ToString() : string.Join('\n', Lines);

    /// <summary>syzkaller's class names (KASAN, ATOMIC_SLEEP …) as the corpus labels them.</summary>
    public string ClassName => Class switch
    {
        ReportClass.AtomicSleep => "ATOMIC_SLEEP",
        ReportClass.ListCorruption => "LIST_CORRUPTION",
        ReportClass.SoftLockup => "SOFTLOCKUP",
        ReportClass.HungTask => "HUNG_TASK",
        ReportClass.RcuStall => "RCU_STALL",
        _ => Class.ToString().ToUpperInvariant(),
    };
}
