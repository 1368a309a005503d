namespace KernelSoak.Reports.Formats;

/// <summary>
/// Every kind of Linux report this tool names, one row per header, in the order a line is tried against
/// them. The formats follow syzkaller's (pkg/report/linux.go) so a title here is the title syzbot gives:
/// templates use {0}, {1} … for the format's groups, then the guilty frame(s). Adding a kind is adding a
/// row here and a corpus case. Split by header family: this file, .Warnings.cs, .Faults.cs.
/// </summary>
public static partial class ReportKinds
{
    // The usual stack rules: the faulting register's function first, then the call trace; or the call trace alone.
    private static StackRule RipThenTrace(params string[] skip) => new([StackRules.RipFrame, StackRules.CallTrace, Pattern.ParseStack], skip);
    private static StackRule Trace(params string[] skip) => new([StackRules.CallTrace, Pattern.ParseStack], skip);

    /// <summary>A WARNING's stack: it starts after the trapping instruction's RIP (or powerpc's interrupt line); older kernels just print it.</summary>
    private static StackRule WarningStack(params string[] skip) =>
        new([$"(?:{StackRules.RipFrame}|--- interrupt: [0-9]+ at {{{{FUNC}}}})", Pattern.ParseStack], skip, [StackRules.CallTrace, Pattern.ParseStack]);

    // Built on first use: the rows use formats defined in the other files of this partial class.
    private static IReadOnlyList<ReportKind>? _all;
    public static IReadOnlyList<ReportKind> All => _all ??= [.. Warnings.Take(4), Bug, .. Warnings.Skip(4), .. Faults];

    private static ReportKind Bug => new("BUG:", ReportClass.Bug,
    [
        new("BUG: KASAN:", "KASAN: {0} {2} in {3}")
        {
            Report = @"BUG: KASAN: ([a-z\-]+) in {{FUNC}}(?:.*\n)+?.*(Read|Write) (?:of size|at addr) (?:[0-9a-f]+)",
            Alt = ["bad-access in {3}"], Class = ReportClass.Kasan,
            // KASAN_HW_TAGS reports go through the arm64 fault handler.
            Stack = new([@"BUG: KASAN: (?:[a-z\-]+) in {{FUNC}}", StackRules.CallTrace, Pattern.ParseStack], ["kernel_fault", "tag_check", "mem_abort", "^el1_", "^el1h_"]),
        },
        new("BUG: KASAN:", "KASAN: invalid-free in {1}")
        {
            Report = "BUG: KASAN: (?:double-free or invalid-free|double-free|invalid-free) in {{FUNC}}",
            Alt = ["invalid-free in {1}"], Class = ReportClass.Kasan,
            Stack = new(["BUG: KASAN: (?:double-free or invalid-free|double-free|invalid-free) in {{FUNC}}", StackRules.CallTrace, Pattern.ParseStack], ["slab_", "kfree", "vunmap", "vfree"]),
        },
        new(@"BUG: KASAN: ([a-z\-]+) on address(?:.*\n)+?.*(Read|Write) of size ([0-9]+)", "KASAN: {0} {1}") { Class = ReportClass.Kasan },
        new("BUG: KASAN: (.*)", "KASAN: {0}") { Corrupted = true, Class = ReportClass.Kasan },
        new("BUG: KMSAN: kernel-usb-infoleak", "KMSAN: kernel-usb-infoleak in {1}")
        {
            Report = "BUG: KMSAN: kernel-usb-infoleak in {{FUNC}}", Alt = ["KMSAN origin in {2}"], NoStackTrace = true, Class = ReportClass.Kmsan,
            Stack = new([Pattern.ParseStack, "(Local variable .* created at:|Uninit was created at:)", Pattern.ParseStack],
                ["alloc_skb", "usb_submit_urb", "usb_start_wait_urb", "usb_bulk_msg", "usb_interrupt_msg", "usb_control_msg"]),
        },
        new("BUG: KMSAN:", "KMSAN: {0} in {2}")
        {
            Report = @"BUG: KMSAN: ([a-z\-]+) in {{FUNC}}", Alt = ["bad-access in {2}"], NoStackTrace = true, Class = ReportClass.Kmsan,
            // Generic crypto code is where the bug is hit, not a good name for it.
            Stack = new([Pattern.ParseStack, "(Local variable .* created at:|Uninit was created at:)", Pattern.ParseStack],
                ["alloc_skb", "netlink_ack", "netlink_rcv_skb", "_encrypt$", "^(?:crypto|cipher|drbg|rng)_"]),
        },
        new("BUG: KCSAN: data-race", "KCSAN: {0}") { Report = "BUG: KCSAN: (.*)", NoStackTrace = true, Class = ReportClass.Kcsan },
        new("BUG: KCSAN:", "KCSAN: {0}") { Report = "BUG: KCSAN: (.*)", NoStackTrace = true, Class = ReportClass.Kcsan },
        new("BUG: KFENCE: (use-after-free|out-of-bounds) (read|write) in {{FUNC}}", "KFENCE: {0} {1} in {3}")
        {
            Alt = ["bad-access in {3}"], Class = ReportClass.Kfence, Stack = new([@"BUG: KFENCE: (?:[a-z\- ]+) in {{FUNC}}", Pattern.ParseStack]),
        },
        new("BUG: KFENCE: invalid free in {{FUNC}}", "KFENCE: invalid free in {1}")
        {
            Alt = ["invalid-free in {1}"], NoStackTrace = true, Class = ReportClass.Kfence, Stack = new([@"BUG: KFENCE: (?:[a-z\- ]+) in {{FUNC}}", Pattern.ParseStack]),
        },
        new("BUG: KFENCE: invalid (read|write) in {{FUNC}}", "KFENCE: invalid {0} in {2}")
        {
            Alt = ["bad-access in {2}"], Class = ReportClass.Kfence, Stack = new([@"BUG: KFENCE: (?:[a-z\- ]+) in {{FUNC}}", Pattern.ParseStack]),
        },
        new("BUG: KFENCE: memory corruption in {{FUNC}}", "KFENCE: memory corruption in {1}")
        {
            NoStackTrace = true, Class = ReportClass.Kfence, Stack = new([@"BUG: KFENCE: (?:[a-z\- ]+) in {{FUNC}}", Pattern.ParseStack]),
        },
        new("BUG: (?:unable to handle kernel paging request|unable to handle page fault for address|Unable to handle kernel data access)",
            "BUG: unable to handle kernel paging request in {0}") { Alt = ["bad-access in {0}"], Class = ReportClass.Oops, Stack = RipThenTrace() },
        new("BUG: (?:unable to handle kernel NULL pointer dereference|kernel NULL pointer dereference|Kernel NULL pointer dereference)",
            "BUG: unable to handle kernel NULL pointer dereference in {0}") { Alt = ["bad-access in {0}"], Class = ReportClass.Oops, Stack = RipThenTrace() },
        // The second half of the header is a printk of its own: often lost.
        new("BUG: (?:unable to handle kernel|Unable to handle kernel)", "BUG: unable to handle kernel") { Corrupted = true, Class = ReportClass.Oops },
        new("BUG: (spinlock|rwlock) (lockup suspected|already unlocked|recursion|cpu recursion|bad magic|wrong owner|wrong CPU|trylock failure on UP)",
            "BUG: {0} {1} in {2}") { Stack = Trace("spin_", "_lock", "_unlock") },
        new("BUG: soft lockup", "BUG: soft lockup in {0}")
        {
            Alt = ["stall in {0}"], Class = ReportClass.SoftLockup,
            Stack = new([StackRules.RipFrame, StackRules.CallTrace, Pattern.ParseStack], Choice: FrameChoice.Stall),
        },
        new("BUG: .*still has locks held!", "BUG: still has locks held in {0}") { Report = @"BUG: .*still has locks held!(?:.*\n)+?.*{{PC}} +{{FUNC}}", Class = ReportClass.Lockdep },
        new("BUG: scheduling while atomic", "BUG: scheduling while atomic in {0}") { Class = ReportClass.AtomicSleep, Stack = Trace("schedule") },
        new("BUG: lock held when returning to user space", "BUG: lock held when returning to user space in {0}")
        {
            Report = @"BUG: lock held when returning to user space(?:.*\n)+?.*leaving the kernel with locks still held(?:.*\n)+?.*at: (?:{{PC}} +)?{{FUNC}}",
            NoStackTrace = true, Class = ReportClass.Lockdep,
        },
        new("BUG: bad unlock balance detected!", "BUG: bad unlock balance in {0}")
        {
            Class = ReportClass.Lockdep, Stack = new(["{{PC}} +{{FUNC}}", StackRules.CallTrace, Pattern.ParseStack]),
        },
        new("BUG: held lock freed!", "BUG: held lock freed in {0}") { Report = @"BUG: held lock freed!(?:.*\n)+?.*{{PC}} +{{FUNC}}", Class = ReportClass.Lockdep },
        new("BUG: Bad rss-counter state", "BUG: Bad rss-counter state") { NoStackTrace = true },
        new("BUG: non-zero nr_ptes on freeing mm", "BUG: non-zero nr_ptes on freeing mm") { NoStackTrace = true },
        new("BUG: non-zero nr_pmds on freeing mm", "BUG: non-zero nr_pmds on freeing mm") { NoStackTrace = true },
        // The file system type and block device (loop0, loop1 …) would split one bug into many titles.
        new("BUG: Dentry .* still in use", "BUG: Dentry still in use in {0}")
        {
            Report = @"BUG: Dentry .* still in use \([0-9]+\) \[(unmount) of ([^\]]+)\]", Alt = ["BUG: Dentry still in use [{0} of {1}]"],
        },
        new("BUG: Bad page (state|cache)", "BUG: Bad page {0} in {1}")
        {
            Stack = new(["page last allocated", Pattern.ParseStack],
                ["(free|put|get|update|release)_page", "free_unref", "^_*folio", "truncate_inode_pages", "page_frag_free", "alloc", "vmap", "page_owner"]),
        },
        new("BUG: Bad page map", "BUG: Bad page map"),
        new("BUG: workqueue lockup", "BUG: workqueue lockup") { NoStackTrace = true, Class = ReportClass.HungTask },
        new("BUG: sleeping function called from invalid context at (.*)", "BUG: sleeping function called from invalid context in {1}") { Class = ReportClass.AtomicSleep, Stack = Trace() },
        new(@"BUG: using ([a-z_]+)\(\) in preemptible", "BUG: using {0}() in preemptible code in {1}")
        {
            Class = ReportClass.AtomicSleep, Stack = Trace("dump_stack", "preemption", "preempt", "debug_", "processor_id", "this_cpu"),
        },
        new("BUG: workqueue leaked lock or atomic", "BUG: workqueue leaked lock or atomic in {0}")
        {
            Report = @"BUG: workqueue leaked lock or atomic(?:.*\n)+?.*last function: ([a-zA-Z0-9_]+)\n", NoStackTrace = true, Class = ReportClass.Lockdep,
        },
        new("BUG: memory leak", "memory leak in {0}")
        {
            Class = ReportClass.MemoryLeak,
            Stack = new([@"backtrace(?: \(crc [0-9a-fA-F]*\))?:", Pattern.ParseStack],
                ["kmemleak", "mmap", "kmem", "slab", "alloc", "create_object", "idr_get", "list_lru_init", "kasprintf", "kvasprintf", "pcpu_create", "strdup", "strndup", "memdup"]),
        },
        new("BUG: .*stack guard page was hit at", "BUG: stack guard page was hit in {0}")
        {
            Alt = ["stack-overflow in {0}"], Class = ReportClass.Oops,
            Stack = new([StackRules.RipFrame, StackRules.CallTrace, Pattern.ParseStack], Choice: FrameChoice.Stall),
        },
        // arm's shape of what x86 reports as a lockdep WARNING: named as that.
        new("BUG: Invalid wait context", "WARNING: locking bug in {0}") { Class = ReportClass.Lockdep, Stack = Trace("lock_sock", "release_sock") },
        new(@"BUG:\s*(?:\n|$)", "BUG: corrupted") { Corrupted = true },
    ],
    [
        "ODEBUG:", // debug objects' own header (its WARNING follows)
        "Boot_DEBUG:", "xlog_status:", "DEBUG:", // Android boot and ART noise
        "BUG: no syscalls can create resource",   // syzkaller's own debug output
    ]);
}
