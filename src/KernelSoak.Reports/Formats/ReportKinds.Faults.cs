namespace KernelSoak.Reports.Formats;

/// <summary>Faults, panics, BUG_ON, sanitizers with their own headers, and what the test harness itself prints.</summary>
public static partial class ReportKinds
{
    private static ReportKind Fault(string header, string template, ReportClass cls, StackRule stack, bool endsBoot = false, params string[] alt) =>
        new(header, cls, [new(Pattern.Escape(header), template) { Stack = stack, Alt = alt }], [], endsBoot);

    private static readonly StackRule RipOnly = new([StackRules.RipFrame]);

    private static IEnumerable<ReportKind> Faults =>
    [
        new("Unable to handle kernel", ReportClass.Oops,
        [
            new("Unable to handle kernel (paging request|NULL pointer dereference|access to user memory)", "BUG: unable to handle kernel {0} in {1}")
            {
                Alt = ["bad-access in {1}"], Stack = RipThenTrace(),
            },
        ], []),
        new("general protection fault", ReportClass.Oops,
            [new("general protection fault.*:", "general protection fault in {0}") { Alt = ["bad-access in {0}"], Stack = RipThenTrace() }],
            [@"general protection fault .* error:\d+ in "]), // a user-space fault, logged
        Fault("stack segment: ", "stack segment fault in {0}", ReportClass.Oops, RipThenTrace()),
        new("Kernel panic", ReportClass.Panic,
        [
            // A smashed stack may leave no symbol and no usable trace.
            new("Kernel panic - not syncing: stack-protector:", "kernel panic: stack is corrupted in {0}")
            {
                Report = "Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: {{FUNC}}", NoStackTrace = true,
            },
            new("Kernel panic - not syncing: stack-protector:", "kernel panic: stack is corrupted in {0}")
            {
                Report = "Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: [a-f0-9]+", Stack = Trace("stack_chk"),
            },
            new("Kernel panic - not syncing: corrupted stack end", "kernel panic: corrupted stack end in {0}")
            {
                Report = "Kernel panic - not syncing: corrupted stack end detected inside scheduler", Alt = ["stack-overflow in {0}"],
                Stack = new([StackRules.CallTrace, Pattern.ParseStack], ["schedule", "retint_kernel"], Choice: FrameChoice.Stall),
            },
            new("Kernel panic - not syncing: kernel stack overflow", "kernel stack overflow in {0}")
            {
                Alt = ["stack-overflow in {0}"], Stack = new([StackRules.CallTrace, Pattern.ParseStack], ["bad_stack"], Choice: FrameChoice.Stall),
            },
            new("Kernel panic - not syncing: Attempted to kill init!", "kernel panic: Attempted to kill init!"),
            new("Kernel panic - not syncing: Couldn't open N_TTY ldisc for [^ ]+ --- error -[0-9]+", "kernel panic: Couldn't open N_TTY ldisc"),
            // Printed after the report that caused them: as a title, they mean that report's header was lost.
            new("Kernel panic - not syncing: Fatal exception", "kernel panic: Fatal exception") { Corrupted = true },
            new("Kernel panic - not syncing: panic_on_warn set", "kernel panic: panic_on_warn set") { Corrupted = true },
            new("Kernel panic - not syncing: hung_task: blocked tasks", "kernel panic: hung_task: blocked tasks") { Corrupted = true },
            new("Kernel panic - not syncing: (.*)", "kernel panic: {0}"),
        ], [], EndsBoot: true),
        new("PANIC: double fault", ReportClass.Oops, [new("PANIC: double fault", "PANIC: double fault in {0}") { Stack = RipOnly }], [], EndsBoot: true),
        new("rust_kernel: panicked", ReportClass.Panic,
        [
            new("rust_kernel: panicked", "{0} in {1}") { Report = @"rust_kernel: panicked at [^\n]*?\n(.+?)\n", Stack = Trace(@"__rustc::rust_begin_unwind") },
        ], []),
        new("kernel BUG", ReportClass.Bug,
        [
            new("kernel BUG at mm/usercopy.c", "BUG: bad usercopy in {0}") { Stack = Trace("usercopy", "__check") },
            ListBug,
            // skb helpers BUG_ON their arguments: the caller is at fault.
            new("kernel BUG at (.*)", "kernel BUG in {1}") { Stack = RipThenTrace("^skb_") },
        ], []),
        new("Kernel BUG", ReportClass.Bug, [new("Kernel BUG (.*)", "kernel BUG {0}")], []),
        new("BUG kmalloc-", ReportClass.Kasan, [new("BUG kmalloc-.*: Object already free", "BUG: Object already free")], []),
        Fault("divide error:", "divide error in {0}", ReportClass.Oops, RipOnly),
        Fault("divide_error:", "divide error in {0}", ReportClass.Oops, RipOnly), // a misspelling Linux printed for a while
        Fault("invalid opcode:", "invalid opcode in {0}", ReportClass.Oops, RipOnly),
        Fault("int3:", "int3 in {0}", ReportClass.Oops, RipThenTrace()),
        new("UBSAN:", ReportClass.Ubsan,
        [
            new("UBSAN:", "UBSAN: undefined-behaviour in {0}") { Report = "UBSAN: Undefined behaviour in", Stack = Trace("ubsan", "overflow") },
            new("UBSAN: array-index-out-of-bounds in", "UBSAN: array-index-out-of-bounds in {0}") { Alt = ["bad-access in {0}"], Stack = Trace("ubsan", "overflow") },
            new("UBSAN:", "UBSAN: {0} in {1}") { Report = "UBSAN: (.*?) in", Stack = Trace("ubsan", "overflow") },
        ], []),
        new("Booting the kernel.", ReportClass.Reboot, [new("^Booting the kernel", "unexpected kernel reboot") { NoStackTrace = true }],
            ["Parsing ELF|Decompressing Linux|Unknown parameter '"]), // the boot banner echoed back as a mount option
        new("unregister_netdevice: waiting for", ReportClass.HungTask,
            [new("unregister_netdevice: waiting for (?:.*) to become free", "unregister_netdevice: waiting for DEV to become free") { NoStackTrace = true }], []),
        new("VFS: Close: file count is 0", ReportClass.Bug, [new("VFS: Close: file count is 0", "VFS: Close: file count is zero (use-after-free)") { NoStackTrace = true }], []),
        new("VFS: Busy inodes after unmount", ReportClass.Bug, [new("VFS: Busy inodes after unmount", "VFS: Busy inodes after unmount (use-after-free)") { NoStackTrace = true }], []),
        // arm's names for what x86 calls a general protection fault or a paging request: "bad-access" joins them.
        Fault("Internal error:", "Internal error in {0}", ReportClass.Oops, RipThenTrace(), false, "bad-access in {0}"),
        Fault("Unhandled fault:", "Unhandled fault in {0}", ReportClass.Oops, RipThenTrace(), false, "bad-access in {0}"),
        Fault("Alignment trap:", "Alignment trap in {0}", ReportClass.Oops, RipThenTrace()),
        new("trusty: panic", ReportClass.Panic,
        [
            new("trusty: panic.* ASSERT FAILED", "trusty: ASSERT FAILED: {0}") { Report = @"trusty: panic \(.*?\):(?: DEBUG)? ASSERT FAILED at \(.*?\): (.+)", NoStackTrace = true },
            new("trusty: panic.* ASSERT FAILED.*: *(.*)", "trusty: ASSERT FAILED: {0}") { Corrupted = true },
            new("trusty: panic", "trusty: panic: {0}") { Report = @"trusty: panic \(.*?\): (.+)", NoStackTrace = true },
        ], []),
        // The test harness's own failures (syzkaller's executor), and Go panics in it.
        new("SYZFAIL:", ReportClass.Harness, [new("SYZFAIL:(.*)", "SYZFAIL:{0}") { NoStackTrace = true }], []),
        new("SYZFATAL:", ReportClass.Harness, [new("SYZFATAL:(.*)()", "SYZFATAL:{0}") { Alt = ["SYZFATAL{1}"], NoStackTrace = true }], []),
        new("panic:", ReportClass.Harness,
        [
            new("panic: Sentry detected .* stuck task", "panic: Sentry detected stuck tasks") { NoStackTrace = true },
            new("panic:(.*)", "panic:{0}") { NoStackTrace = true },
        ], ["_panic:", "xlog_status:", @"ddb\.onpanic:", "evtlog_status:"]), // skb_over_panic: …; Android
    ];
}
