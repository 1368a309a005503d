using System.Text.RegularExpressions;

namespace KernelSoak.Reports;

/// <summary>A line that starts a report: its class and the match that later builds the title.</summary>
public sealed record Header(ReportClass Class, Match Match, string Kind);

/// <summary>The first lines of every report class this tool knows (the seed's grep pattern is a floor).</summary>
public static partial class Headers
{
    // Every header starts with one of these literal prefixes; a line is tried only against the patterns of
    // the prefix it starts with (most lines start with none: one character rules them out).
    private static readonly (string Prefix, (Regex Pattern, ReportClass Class, string Kind)[] Patterns)[] Table =
    [
        ("BUG:", [
            (Kasan(), ReportClass.Kasan, "kasan"),
            (Kcsan(), ReportClass.Kcsan, "kcsan"),
            (SleepInvalid(), ReportClass.AtomicSleep, "sleeping function called from invalid context"),
            (SchedAtomic(), ReportClass.AtomicSleep, "scheduling while atomic"),
            (X86PageFault(), ReportClass.Oops, "oops-x86"),
            (X86NullDeref(), ReportClass.Oops, "oops-x86-null"),
        ]),
        ("WARNING:", [(Lockdep(), ReportClass.Lockdep, "lockdep"), (Warning(), ReportClass.Warning, "warning")]),
        ("ODEBUG:", [(Odebug(), ReportClass.Odebug, "odebug")]),
        ("refcount_t:", [(Refcount(), ReportClass.Refcount, "refcount")]),
        ("list_", [(ListCorruption(), ReportClass.ListCorruption, "list")]),
        ("kernel BUG", [(KernelBug(), ReportClass.Bug, "bug")]),
        ("Unable to handle", [(Arm64Oops(), ReportClass.Oops, "oops-arm64")]),
        ("general protection", [(GeneralProtection(), ReportClass.Oops, "gpf")]),
        ("Kernel panic", [(Panic(), ReportClass.Panic, "panic")]),
        ("watchdog:", [(SoftLockup(), ReportClass.SoftLockup, "softlockup")]),
        ("INFO:", [(HungTask(), ReportClass.HungTask, "hung"), (RcuStall(), ReportClass.RcuStall, "rcu")]),
        ("rcu:", [(RcuStall(), ReportClass.RcuStall, "rcu")]),
        ("UBSAN:", [(Ubsan(), ReportClass.Ubsan, "ubsan")]),
    ];

    private static readonly System.Buffers.SearchValues<char> FirstLetters = System.Buffers.SearchValues.Create(string.Concat(Table.Select(t => t.Prefix[0]).Distinct()));

    // What the scanner searches a whole log for: the prefixes, less "rcu:" — boot logs are full of
    // "rcu: ..." lines, and the one rcu: header ("rcu: INFO: rcu_preempt detected stalls") holds "INFO:".
    internal static readonly string[] Needles = [.. Table.Select(t => t.Prefix).Where(p => p != "rcu:")];

    public static Header? Match(string text) => Match(text, text);

    /// <summary>A line given as a span: a string is made only for one that starts with a prefix.</summary>
    public static Header? Match(ReadOnlySpan<char> text) => Match(text, null);

    private static Header? Match(ReadOnlySpan<char> text, string? asString)
    {
        if (text.Length < 8 || !FirstLetters.Contains(text[0])) return null;
        foreach (var (prefix, patterns) in Table)
        {
            if (!text.StartsWith(prefix, StringComparison.Ordinal)) continue;
            asString ??= text.ToString();
            foreach (var (pattern, cls, kind) in patterns)
            {
                var m = pattern.Match(asString);
                if (m.Success) return new Header(cls, m, kind);
            }
            return null;
        }
        return null;
    }

    public static bool IsCutHere(ReadOnlySpan<char> text) => text.Contains("[ cut here ]", StringComparison.Ordinal);
    public static bool IsSeparator(ReadOnlySpan<char> text) => text.Length >= 20 && !text.ContainsAnyExcept('=');
    public static bool IsEndMarker(ReadOnlySpan<char> text) => text.StartsWith("---[ end ", StringComparison.Ordinal);

    [GeneratedRegex(@"^BUG: KASAN: ([\w-]+) in (\S+)")] private static partial Regex Kasan();
    [GeneratedRegex(@"^BUG: KCSAN: ([\w-]+) in (.+)$")] private static partial Regex Kcsan();
    [GeneratedRegex(@"^WARNING: (possible circular locking dependency detected|possible recursive locking detected|inconsistent lock state|suspicious RCU usage|bad unlock balance detected!|held lock freed!|lock held when returning to user space!)")] private static partial Regex Lockdep();
    [GeneratedRegex(@"^BUG: sleeping function called from invalid context")] private static partial Regex SleepInvalid();
    [GeneratedRegex(@"^BUG: scheduling while atomic")] private static partial Regex SchedAtomic();
    [GeneratedRegex(@"^ODEBUG: (\w+)")] private static partial Regex Odebug();
    [GeneratedRegex(@"^refcount_t: (.+)")] private static partial Regex Refcount();
    [GeneratedRegex(@"^list_(add|del) corruption")] private static partial Regex ListCorruption();
    [GeneratedRegex(@"^WARNING: CPU: \d+ PID: \d+ at (\S+) (\S+)")] private static partial Regex Warning();
    [GeneratedRegex(@"^kernel BUG at (\S+)!")] private static partial Regex KernelBug();
    [GeneratedRegex(@"^Unable to handle kernel (.+?) at virtual address")] private static partial Regex Arm64Oops();
    [GeneratedRegex(@"^BUG: unable to handle (page fault|kernel paging request) for address")] private static partial Regex X86PageFault();
    [GeneratedRegex(@"^BUG: kernel NULL pointer dereference")] private static partial Regex X86NullDeref();
    [GeneratedRegex(@"^general protection fault")] private static partial Regex GeneralProtection();
    [GeneratedRegex(@"^Kernel panic - not syncing: (.*)$")] private static partial Regex Panic();
    [GeneratedRegex(@"^watchdog: BUG: soft lockup - CPU#\d+ stuck for")] private static partial Regex SoftLockup();
    [GeneratedRegex(@"^INFO: task (\S+) blocked for more than")] private static partial Regex HungTask();
    [GeneratedRegex(@"^(?:rcu: )?INFO: rcu_\w+ (?:self-)?detected stalls?")] private static partial Regex RcuStall();
    [GeneratedRegex(@"^UBSAN: ([\w-]+) in")] private static partial Regex Ubsan();
}
