using System.Text.RegularExpressions;

namespace KernelSoak.Reports.Formats;

/// <summary>
/// What every Linux stack trace shares: how a trace starts, what a frame line looks like (x86, arm64, old
/// "[&lt;pc&gt;] f+0x" and arm's "(f) from (g)"), the frames that are never the culprit (sanitizer, reporting,
/// locking, allocator, string and list helpers …), and the syscall prefixes a frame loses in a title.
/// </summary>
public static class StackRules
{
    /// <summary>The register line naming the faulting function: x86's RIP/IP, powerpc's NIP, arm's pc/PC is at.</summary>
    public const string RipFrame = @"(?:IP|NIP|pc |PC is at):? (?:(?:[0-9]+:)?(?:{{PC}} +){0,2}{{FUNC}}|(?:[0-9]+:)?0x[0-9a-f]+|(?:[0-9]+:)?{{PC}} +\[< *\(null\)>\] +\(null\)|[0-9]+: +\(null\))";
    public const string CallTrace = @"(?:Call (?:T|t)race:)|(?:Backtrace:)";

    public static readonly Regex[] StackStarts =
    [
        .. new[]
        {
            "Call (?:T|t)race", "Allocated:", "Allocated by task [0-9]+:", "Freed:", "Freed by task [0-9]+:",
            @"[^k] backtrace(?: \(crc [0-9a-fA-F]*\))?:", "Backtrace:", "Uninit was stored to memory at",
            "status: [0-9a-f]{16} badaddr: [0-9a-f]{16} cause: [0-9a-f]{16}",
        }.Select(Pattern.Compile),
    ];

    public static readonly Regex[] FrameLines =
    [
        Pattern.Compile("^ *(?:{{PC}} ){0,2}{{FUNC}}"),
        Pattern.Compile(@"^ *{{PC}} \(([a-zA-Z0-9_.]+)\) from {{PC}} \({{FUNC}}"),
    ];

    /// <summary>Fault injection's stacks get mixed into reports: a report that shows one is not trusted.</summary>
    public static readonly Regex[] CorruptedLines = [Pattern.Compile(@"^( \[<?(?:0x)?[0-9a-f]+>?\])? should_fail(slab)?(\.[a-z0-9.]+)?\+0x")];

    public static readonly string[] StripPrefixes =
        ["SYSC_", "SyS_", "sys_", "__x64_", "__ia32_", "__arm64_", "____sys_", "___sys_", "__sys_", "__se_", "__se_sys_", "__do_sys_", "compat_SYSC_", "compat_SyS_", "ksys_"];

    /// <summary>Never the culprit, whatever the kind (searched for in the function name).</summary>
    public static readonly string[] Skip =
    [
        // sanitizers and the reporting machinery
        "__sanitizer", "__asan", "kasan", "hwasan", "__msan", "kmsan", "kcsan_setup_watchpoint", "check_memory_region",
        "check_heap_object", "check_object", "read_word_at_a_time", "(read|write)_once_.*nocheck", "print_address_description",
        "panic", "invalid_op", "report_bug", "fixup_bug", "print_report", "print_usage_bug", "do_error", "_trap$|do_trap",
        "show_stack", "dump_stack", "walk_stack", "dump_backtrace", "warn_slowpath", "warn_alloc", "warn_bogus", "__warn",
        "print_tainted", "^get_taint$", "stack_trace_consume_entry", "arch_stack_walk", "stack_trace_save", "__fortify_report",
        "program_check_exception", "program_check_common", "assertfail", "hex_dump_to_buffer", "print_hex_dump",
        // allocators and the page cache
        "alloc_page", "k?v?(?:m|z|c)alloc", "krealloc", "kmem_cache", "allocate_slab", "__alloc_frozen_pages_noprof",
        "folio_(?:alloc|unlock)", "filemap_alloc_folio", "__filemap_get_folio", "find_or_create_page", "do_read_cache_folio",
        "read_cache_page", "pagecache_get_page", "grab_cache_page_write_begin", "slab_", "^kv?free$", "kfree_skb",
        "xas_(?:start|load|find)", "find_lock_entries", "truncate_inode_pages_range", "__phys_addr", "^(un)?lock_page",
        // debug objects, lockdep, locks, atomics
        "debug_object", "timer_is_static_object", "work_is_static_object", "__might_fault", "print_unlock", "imbalance_bug",
        "lockdep", "bh_enable", "bh_disable", "perf_trace", "lock_acquire", "lock_release", "lock_class", "mark_lock",
        "(reacquire|mark)_held_locks", "raw_spin_rq", "spin_lock", "spin_trylock", "spin_unlock", "read_lock", "read_trylock",
        "write_lock", "write_trylock", "read_unlock", "write_unlock", "^down$", "down_read", "down_write", "down_read_trylock",
        "down_write_trylock", "down_trylock", "up_read", "up_write", "^mutex_", "^__mutex_", "^rt_mutex_", "owner_on_cpu",
        "osq_lock", "osq_unlock", "atomic(64)?_(dec|inc|read|set|or|xor|and|add|sub|fetch|xchg|cmpxchg|try)",
        "(set|clear|change|test)_bit", "__wake_up", "^refcount_", "^kref_", "ref_tracker", "seqprop_assert",
        "(trace|lockdep)_(hard|soft)irq", "__might_resched", "might_fault", "might_sleep",
        // string, memory, user copies, lists, trees, printing
        "memcpy", "memcmp", "memset", "memchr", "memmove", "memdup", "strcmp", "strncmp", "strcpy", "strlcpy", "strncpy",
        "strscpy", "strlen", "strstr", "strnstr", "strnlen", "strchr", "strdup", "strndup", "copy_to_user", "copy_from_user",
        "copy_to_iter", "copy_from_iter", "copy_page_to_iter", "copy_page_from_iter", "copy_folio_to_iter", "^copyin$",
        "^copyout$", "put_user", "get_user", "list_add", "list_del", "list_replace", "list_move", "list_splice", "^rb_",
        "^__rb_", "_indirect_thunk_", "string", "pointer", "snprintf", "scnprintf", "kasprintf", "kvasprintf", "printk",
        "va_format", "dev_info", "dev_notice", "dev_warn", "dev_err", "dev_alert", "dev_crit", "dev_emerg", "^klist_",
        "^crc\\d+", "crc_itu_t", "rhashtable_lookup", "extract_(user|iter)_to_sg",
        // timers, work, completion, device and kobject teardown that only reports the caller's bug
        "del_timer", "flush_work", "__cancel_work_timer", "cancel_work_sync", "try_to_grab_pending", "flush_workqueue",
        "drain_workqueue", "destroy_workqueue", "queue_work", "finish_wait", "kthread_stop", "insert_work",
        "__queue_delayed_work", "queue_delayed_work_on", "lock_timer_base", "__timer_delete_sync", "sk_stop_timer_sync",
        "__mod_timer", "^complete$", "wait_for_completion", "kobject_", "add_uevent_var", "get_device_parent", "device_add",
        "device_del", "device_unregister", "device_destroy", "device_release", "devres_release_all", "hwrng_unregister",
        "i2c_del_adapter", "__unregister_client", "device_for_each_child", "rollback_registered", "unregister_netdev",
        "sysfs_remove", "device_remove_file", "tty_unregister_device", "^put_device$", "ida_free", "cleanup_srcu_struct",
        "dummy_urb_enqueue", "usb_kill_urb", "usb_kill_anchored_urbs", "usb_control_msg", "usb_hcd_submit_urb", "usb_submit_urb",
        // MMIO accessors, inode and dentry references
        "readb$", "readw$", "readl$", "readq$", "writeb$", "writew$", "writel$", "writeq$", "logic_in", "logic_out",
        "^iput$", "^iput_final$", "^ihold$", "drop_nlink", "fast_dput", "dput", "mark_buffer_dirty",
        // arm64 fault handling
        "do_(kernel|translation)_fault", "do_mem_abort", "el1_abort", "el1h_64_sync(?:_handler)?",
    ];

    // Words every stack heading, and every corrupting line, holds: most lines are ruled out without a regex.
    private static readonly System.Buffers.SearchValues<string> StackStartWords = System.Buffers.SearchValues.Create(
        ["Call ", "Allocated", "Freed", "backtrace", "Backtrace:", "Uninit was stored", "badaddr: "], StringComparison.Ordinal);

    public static bool IsStackStart(string line) => line.AsSpan().ContainsAny(StackStartWords) && StackStarts.Any(s => s.IsMatch(line));

    public static bool IsCorruptedLine(string line) => line.Contains("should_fail", StringComparison.Ordinal) && CorruptedLines.Any(c => c.IsMatch(line));

    /// <summary>"__x64_sys_ioctl" → "ioctl": the shortest of the frame with one known prefix taken off.</summary>
    public static string Strip(string frame)
    {
        var best = frame;
        foreach (var prefix in StripPrefixes)
            if (frame.StartsWith(prefix, StringComparison.Ordinal) && frame.Length - prefix.Length < best.Length)
                best = frame[prefix.Length..];
        return best;
    }
}
