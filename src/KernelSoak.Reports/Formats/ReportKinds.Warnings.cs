namespace KernelSoak.Reports.Formats;

/// <summary>WARNING:, INFO: and the debug checkers' own headers (ODEBUG, refcount_t, list corruption).</summary>
public static partial class ReportKinds
{
    // A WARN() from a checker is named after the checker, its users' frames skipped.
    private static readonly ReportFormat OdebugWarning = new(@"WARNING: .*lib/debugobjects\.c.* (?:debug_print|debug_check|at)", "WARNING: ODEBUG bug in {0}")
    {
        Class = ReportClass.Odebug,
        Stack = WarningStack("debug_", "rcu", "hrtimer_", "timer_", "work_", "percpu_", "vunmap", "vfree", "__free_", "debug_check", "kobject_"),
    };

    private static readonly ReportFormat RefcountWarning = new(@"WARNING: .*lib/refcount\.c.* (?:refcount_|at)", "WARNING: refcount bug in {0}")
    {
        Class = ReportClass.Refcount, Stack = WarningStack("refcount", "kobject_"),
    };

    private static readonly ReportFormat ListBug = new(@"kernel BUG at lib/list_debug\.c", "BUG: corrupted list in {0}")
    {
        Alt = ["bad-access in {0}"], Class = ReportClass.ListCorruption, Stack = Trace(),
    };

    private static IEnumerable<ReportKind> Warnings =>
    [
        // KernelSoak's own rows: these checkers print a line of their own before the WARNING or BUG that
        // syzkaller names them by; the report opens there, and is named by that later line when it comes.
        new("ODEBUG:", ReportClass.Odebug, [OdebugWarning, new("ODEBUG: ", "WARNING: ODEBUG bug in {0}") { Stack = WarningStack(OdebugWarning.Stack!.Skip!.ToArray()) }],
            ["ODEBUG: (?!.* object type: )"]), // "ODEBUG: Out of memory. ODEBUG disabled", selftest lines
        new("refcount_t:", ReportClass.Refcount, [RefcountWarning, new("refcount_t: ", "WARNING: refcount bug in {0}") { Stack = WarningStack("refcount", "kobject_") }], []),
        new("list_add corruption", ReportClass.ListCorruption, [ListBug, new("list_add corruption", "BUG: corrupted list in {0}") { Stack = Trace() }], []),
        new("list_del corruption", ReportClass.ListCorruption, [ListBug, new("list_del corruption", "BUG: corrupted list in {0}") { Stack = Trace() }], []),
        new("WARNING:", ReportClass.Warning,
        [
            OdebugWarning,
            new(@"WARNING: .*mm/usercopy\.c.* (?:usercopy_warn|at)", "WARNING: bad usercopy in {0}") { Stack = WarningStack("usercopy", "__check") },
            new(@"WARNING: .*lib/kobject\.c.* (?:kobject_|at)", "WARNING: kobject bug in {0}") { Stack = WarningStack("kobject_") },
            new(@"WARNING: .*fs/proc/generic\.c.* (?:proc_register|at)", "WARNING: proc registration bug in {0}") { Stack = WarningStack("proc_") },
            RefcountWarning,
            new(@"WARNING: .*kernel/locking/lockdep\.c.*lock_", "WARNING: locking bug in {0}") { Class = ReportClass.Lockdep, Stack = WarningStack("lock_sock", "release_sock") },
            new("WARNING: .*still has locks held!", "WARNING: still has locks held in {0}") { Report = @"WARNING: .*still has locks held!(?:.*\n)+?.*at: {{FUNC}}", Class = ReportClass.Lockdep },
            new("WARNING: Nested lock was not taken", "WARNING: nested lock was not taken in {0}") { Class = ReportClass.Lockdep, Stack = WarningStack() },
            new("WARNING: lock held when returning to user space", "WARNING: lock held when returning to user space in {0}")
            {
                Report = @"WARNING: lock held when returning to user space(?:.*\n)+?.*leaving the kernel with locks still held(?:.*\n)+?.*at: (?:{{PC}} +)?{{FUNC}}",
                NoStackTrace = true, Class = ReportClass.Lockdep,
            },
            new(@"WARNING: .*mm/.*\.c.* k?.?malloc", "WARNING: kmalloc bug in {0}") { Stack = WarningStack("kmalloc", "krealloc", "slab", "kmem") },
            new("WARNING: .*mm/vmalloc.c.*__vmalloc_node", "WARNING: zero-size vmalloc in {0}") { Stack = WarningStack() },
            new("WARNING: .* usb_submit_urb", "WARNING in {0}/usb_submit_urb")
            {
                Stack = WarningStack("usb_submit_urb", "usb_start_wait_urb", "usb_bulk_msg", "usb_interrupt_msg", "usb_control_msg"),
            },
            // Linux 6.19's shape: "WARNING: kernel/x.c:12 at 0x…, CPU#0: task/1".
            new(@"WARNING: {{SRC}} at 0x\d+, CPU#\d+", "WARNING in {1}") { Stack = WarningStack() },
            new("WARNING: .* at {{SRC}} {{FUNC}}", "WARNING in {2}") { Stack = WarningStack() },
            new("WARNING: {{SRC}} at {{FUNC}}", "WARNING in {2}") { Stack = WarningStack() },
            new(@"WARNING: \[.*\] {{SRC}} at {{FUNC}}.*", "WARNING in {2}") { Stack = WarningStack() },
            new("WARNING: possible circular locking dependency detected", "possible deadlock in {0}")
            {
                Report = @"WARNING: possible circular locking dependency detected(?:.*\n)+?.*is trying to acquire lock", Class = ReportClass.Lockdep,
                // Work items' locks: a deadlock through them belongs to the work item's subsystem.
                Stack = new(["at: (?:{{PC}} +)?{{FUNC}}", "at: (?:{{PC}} +)?{{FUNC}}", Pattern.ParseStack], ["process_one_work", "flush_workqueue", "drain_workqueue", "destroy_workqueue"]),
            },
            new("WARNING: possible irq lock inversion dependency detected", "possible deadlock in {0}")
            {
                Report = @"WARNING: possible irq lock inversion dependency detected(?:.*\n)+?.*just changed the state of lock(?:.*\n)+?.*at: (?:{{PC}} +)?{{FUNC}}",
                Class = ReportClass.Lockdep,
            },
            new("WARNING: .*-safe -> .*-unsafe lock order detected", "possible deadlock in {0}")
            {
                Class = ReportClass.Lockdep, Stack = new(["which became (?:.*) at:", Pattern.ParseStack]),
            },
            new("WARNING: possible recursive locking detected", "possible deadlock in {0}")
            {
                Report = @"WARNING: possible recursive locking detected(?:.*\n)+?.*is trying to acquire lock(?:.*\n)+?.*at: (?:{{PC}} +)?{{FUNC}}", Class = ReportClass.Lockdep,
            },
            new("WARNING: inconsistent lock state", "inconsistent lock state in {1}")
            {
                Report = @"WARNING: inconsistent lock state(?:.*\n)+?.*takes(?:.*\n)+?.*at: (?:{{PC}} +)?{{FUNC}}", Class = ReportClass.Lockdep, Stack = Trace(),
            },
            new("WARNING: suspicious RCU usage", "WARNING: suspicious RCU usage in {1}")
            {
                Report = @"WARNING: suspicious RCU usage(?:.*\n)+?.*?{{SRC}}", Class = ReportClass.Lockdep, Stack = Trace("rcu", "kmem", "slab"),
            },
            new("WARNING: kernel stack regs at [0-9a-f]+ in [^ ]* has bad '([^']+)' value", "WARNING: kernel stack regs has bad '{0}' value") { NoStackTrace = true },
            new("WARNING: kernel stack frame pointer at [0-9a-f]+ in [^ ]* has bad value", "WARNING: kernel stack frame pointer has bad value") { NoStackTrace = true },
            new("WARNING: bad unlock balance detected!", "WARNING: bad unlock balance in {0}")
            {
                Class = ReportClass.Lockdep, Stack = new(["{{PC}} +{{FUNC}}", StackRules.CallTrace, Pattern.ParseStack]),
            },
            new("WARNING: held lock freed!", "WARNING: held lock freed in {0}") { Report = @"WARNING: held lock freed!(?:.*\n)+?.*at:(?: {{PC}})? +{{FUNC}}", Class = ReportClass.Lockdep },
            new("WARNING: kernel stack regs .* has bad 'bp' value", "WARNING: kernel stack regs has bad value") { NoStackTrace = true },
            new("WARNING: kernel stack frame pointer .* has bad value", "WARNING: kernel stack regs has bad value") { NoStackTrace = true },
            new(@"WARNING:\s*(?:\n|$)", "WARNING: corrupted") { Corrupted = true },
        ],
        [
            "WARNING: /etc/ssh/moduli does not exist, using fixed modulus", // sshd
            "WARNING: workqueue cpumask: online intersect > possible intersect", "WARNING: [Tt]he mand mount option",
            @"WARNING: Unsupported flag value\(s\) of 0x%x in DT_FLAGS_1", "WARNING: Unprivileged eBPF is enabled with eIBRS",
            @"WARNING: fbcon: Driver '(.*)' missed to adjust virtual screen size", "WARNING: See https.* for mitigation options.",
            "WARNING: kernel not compiled with CPU_SRSO", @"EXT4-[Ff][Ss](?: \(.*\))?:", @"(?i)warning: .* uses (deprecated v2 capabilities|wireless extensions)",
            @"XFS \(\w+\): WARNING",
        ]),
        new("INFO:", ReportClass.HungTask,
        [
            Lockdep(@"INFO: possible circular locking dependency detected \](?:.*\n)+?.*is trying to acquire lock(?:.*\n)+?.*at: {{PC}} +{{FUNC}}", "possible deadlock in {0}"),
            Lockdep(@"INFO: possible irq lock inversion dependency detected \](?:.*\n)+?.*just changed the state of lock(?:.*\n)+?.*at: {{PC}} +{{FUNC}}", "possible deadlock in {0}"),
            Lockdep(@"INFO: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected \](?:.*\n)+?.*is trying to acquire(?:.*\n)+?.*at: {{PC}} +{{FUNC}}", "possible deadlock in {0}"),
            Lockdep(@"INFO: possible recursive locking detected \](?:.*\n)+?.*is trying to acquire lock(?:.*\n)+?.*at: {{PC}} +{{FUNC}}", "possible deadlock in {0}"),
            Lockdep(@"INFO: inconsistent lock state \](?:.*\n)+?.*takes(?:.*\n)+?.*at: {{PC}} +{{FUNC}}", "inconsistent lock state in {0}"),
            new("INFO: rcu_(?:preempt|sched|bh|tasks) (?:self-)?detected(?: expedited)? stall", "INFO: rcu detected stall in {0}")
            {
                Alt = ["stall in {0}"], Class = ReportClass.RcuStall,
                Stack = new(["apic_timer_interrupt", StackRules.RipFrame, Pattern.ParseStack], ["apic_timer_interrupt", "rcu"],
                    ["(?:apic_timer_interrupt|Exception stack|el1h_64_irq)", Pattern.ParseStack], FrameChoice.Stall),
            },
            new("INFO: trying to register non-static key", "INFO: trying to register non-static key in {0}") { Class = ReportClass.Lockdep, Stack = Trace("stack", "lock", "IRQ") },
            new("INFO: suspicious RCU usage", "INFO: suspicious RCU usage in {1}")
            {
                Report = @"INFO: suspicious RCU usage(?:.*\n)+?.*?{{SRC}}", Class = ReportClass.Lockdep, Stack = Trace("rcu", "kmem", "slab"),
            },
            new("INFO: task {{TASK}} blocked (?:in I/O wait )?for more than [0-9]+ seconds", "INFO: task hung in {0}")
            {
                Alt = ["hang in {0}"], Stack = new([StackRules.CallTrace, Pattern.ParseStack], Choice: FrameChoice.HungTask),
            },
            new("INFO: task {{TASK}} can't die for more than .* seconds", "INFO: task can't die in {0}") { Alt = ["hang in {0}"], Stack = Trace("schedule") },
            // What is left of an old KASAN report whose header was lost.
            new("INFO: (Freed|Allocated) in (.*)", "INFO: {0} in {1}") { Corrupted = true, Class = ReportClass.Kasan },
            new(@"INFO:\s*(?:\n|$)", "INFO: corrupted") { Corrupted = true },
        ],
        [
            "INFO: lockdep is turned off", "INFO: Stall ended before state dump start", "INFO: NMI handler", "INFO: recovery required on readonly filesystem",
            "(handler|interrupt).*took too long", "INFO: sys_.* is not present in /proc/kallsyms", "INFO: no syscalls can create resource",
            "rmt_storage:INFO:", "_INFO:", // Android; "INVALID BTF_INFO:NUM"
        ]),
    ];

    private static ReportFormat Lockdep(string report, string template) =>
        new(report[..report.IndexOf(@" \]", StringComparison.Ordinal)], template) { Report = report, Class = ReportClass.Lockdep };
}
