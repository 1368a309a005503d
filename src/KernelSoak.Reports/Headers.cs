using System.Text.RegularExpressions;

namespace KernelSoak.Reports;

/// <summary>A line that starts a report: its class and the match that later builds the title.</summary>
public sealed record Header(ReportClass Class, Match Match, string Kind);

/// <summary>The first lines of every report class this tool knows (the seed's grep pattern is a floor).</summary>
public static partial class Headers
{
    private static readonly (Regex Pattern, ReportClass Class, string Kind)[] Table =
    [
        (Kasan(), ReportClass.Kasan, "kasan"),
        (Kcsan(), ReportClass.Kcsan, "kcsan"),
        (Lockdep(), ReportClass.Lockdep, "lockdep"),
        (SleepInvalid(), ReportClass.AtomicSleep, "sleeping function called from invalid context"),
        (SchedAtomic(), ReportClass.AtomicSleep, "scheduling while atomic"),
        (Odebug(), ReportClass.Odebug, "odebug"),
        (Refcount(), ReportClass.Refcount, "refcount"),
        (ListCorruption(), ReportClass.ListCorruption, "list"),
        (Warning(), ReportClass.Warning, "warning"),
        (KernelBug(), ReportClass.Bug, "bug"),
        (Arm64Oops(), ReportClass.Oops, "oops-arm64"),
        (X86PageFault(), ReportClass.Oops, "oops-x86"),
        (X86NullDeref(), ReportClass.Oops, "oops-x86-null"),
        (GeneralProtection(), ReportClass.Oops, "gpf"),
        (Panic(), ReportClass.Panic, "panic"),
        (SoftLockup(), ReportClass.SoftLockup, "softlockup"),
        (HungTask(), ReportClass.HungTask, "hung"),
        (RcuStall(), ReportClass.RcuStall, "rcu"),
        (Ubsan(), ReportClass.Ubsan, "ubsan"),
    ];

    // Every header starts with one of these: a cheap test that spares the regexes nearly every line.
    internal static readonly string[] Prefixes =
        ["BUG:", "WARNING:", "ODEBUG:", "refcount_t:", "list_", "kernel BUG", "Unable to handle", "general protection", "Kernel panic", "watchdog:", "INFO:", "rcu:", "UBSAN:"];

    // What the scanner searches a whole log for: the prefixes, less "rcu:" — boot logs are full of
    // "rcu: ..." lines, and the one rcu: header ("rcu: INFO: rcu_preempt detected stalls") holds "INFO:".
    private static readonly System.Buffers.SearchValues<char> FirstLetters = System.Buffers.SearchValues.Create(string.Concat(Prefixes.Select(p => p[0]).Distinct()));

    internal static readonly string[] Needles = [.. Prefixes.Where(p => p != "rcu:")];

    public static Header? Match(string text)
    {
        if (text.Length < 8 || text[0] == ' ' || text[0] == '\t') return null;
        // Most lines inside a report are stack frames and registers: one character rules them out.
        if (!FirstLetters.Contains(text[0])) return null;
        var prefixed = false;
        foreach (var prefix in Prefixes)
            if (text.StartsWith(prefix, StringComparison.Ordinal)) { prefixed = true; break; }
        if (!prefixed) return null;
        foreach (var (pattern, cls, kind) in Table)
        {
            var m = pattern.Match(text);
            if (m.Success) return new Header(cls, m, kind);
        }
        return null;
    }

    public static bool IsCutHere(string text) => text.Contains("[ cut here ]", StringComparison.Ordinal);
    public static bool IsSeparator(string text) => text.Length >= 20 && text.All(c => c == '=');
    public static bool IsEndMarker(string text) => text.StartsWith("---[ end ", StringComparison.Ordinal);

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
