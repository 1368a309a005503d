using System.Text.RegularExpressions;

namespace KernelSoak.Reports;

/// <summary>
/// Stack frames of a report and which of them are generic: the reporting, locking, allocator and entry
/// machinery that sits above the code at fault (syzkaller's skip list, for arm64 and x86).
/// </summary>
public static partial class Frames
{
    public static string Function(string frame) => Function(frame.AsSpan());

    /// <summary>"f.constprop.0+0x1c/0x28" → f.</summary>
    public static string Function(ReadOnlySpan<char> frame)
    {
        var plus = frame.IndexOf('+');
        var name = (plus < 0 ? frame : frame[..plus]).Trim().ToString();
        return name.Contains('.') ? Suffix().Replace(name, "") : name;
    }

    public static bool IsGeneric(string function) => Generic().IsMatch(function);

    /// <summary>"pc : f+0x..", "lr : f+0x..", "RIP: 0010:f+0x.." → f.</summary>
    public static string? Register(ReadOnlySpan<char> line, string register)
    {
        // A report has hundreds of lines and a handful of register lines: look before running the regex.
        if (!line.StartsWith(register, StringComparison.Ordinal)) return null;
        foreach (var m in RegisterLine().EnumerateMatches(line))
            return Function(line.Slice(m.Index, m.Length)[(register == "RIP" ? "RIP: 0010:".Length : "pc : ".Length)..]);
        return null;
    }

    /// <summary>A stack line " f+0x1c/0x28 [mod]" → f; unreliable x86 frames ("? f+…") are not frames.</summary>
    public static string? StackFrame(ReadOnlySpan<char> line)
    {
        if (line.Length == 0 || !char.IsWhiteSpace(line[0]) || !line.Contains("+0x", StringComparison.Ordinal)) return null;
        foreach (var m in StackLine().EnumerateMatches(line))
            return Function(line.Slice(m.Index, m.Length));
        return null;
    }

    [GeneratedRegex(@"(\.(constprop|isra|part|cold|llvm)(\.\d+)?)+$")]
    private static partial Regex Suffix();

    [GeneratedRegex(@"^(?:(?:pc|lr) : |RIP: [0-9a-f]{4}:)[A-Za-z_.$][\w.$]*\+0x[0-9a-f]+")]
    private static partial Regex RegisterLine();

    [GeneratedRegex(@"^\s+[A-Za-z_.$][\w.$]*\+0x[0-9a-f]+/0x[0-9a-f]+")]
    private static partial Regex StackLine();

    [GeneratedRegex(@"^(dump_backtrace|show_stack|dump_stack\w*|print_report|print_address_description\w*|" +
        @"_{0,4}kasan_\w+|kasan\w*|_{0,4}kcsan_\w+|__asan_\w+|__tsan_\w+|__ubsan_\w+|ubsan_\w+|__sanitizer_\w+|" +
        @"panic|__warn|warn_slowpath\w*|report_bug|bug_handler|brk_handler|do_debug_exception|call_break_hook|die|__die|arm64_notify_die|" +
        @"el[01]\w*|do_el0_svc|invoke_syscall\w*|__arm64_sys_\w+|__x64_sys_\w+|__se_sys_\w+|__do_sys_\w+|do_syscall_64|entry_SYSCALL\w*|" +
        @"debug_print_object|debug_check_no_obj_freed|_{0,2}debug_object\w*|debug_objects_\w+|" +
        @"slab_free\w*|__slab_free|kfree|kfree_\w+|kmem_cache_free|__kmem_cache_free|do_slab_free|" +
        @"slab_pre_alloc_hook\w*|slab_alloc\w*|__slab_alloc|___slab_alloc|_{0,2}kmalloc\w*|_{0,2}kmem_cache_alloc\w*|kzalloc\w*|" +
        @"init_timer_key|__init_timer\w*|__init_work|timer_\w+|__timer_\w+|" +
        @"__list_add_valid|__list_del_entry_valid|__list_add|__list_del_entry|list_add\w*|list_del\w*|" +
        @"refcount_warn_saturate|_{0,2}refcount_\w+|" +
        @"lock_acquire|lock_release|__lock_acquire|lock_acquired|lock_contended|_raw_spin_\w+|_raw_read_\w+|_raw_write_\w+|do_raw_spin_\w+|" +
        @"__mutex_lock\w*|mutex_lock\w*|mutex_unlock|down_\w+|up_\w+|" +
        @"_{0,3}might_sleep|__might_resched|__might_fault|__cant_sleep|__schedule_bug|" +
        @"__schedule|schedule\w*|preempt_schedule\w*|__cond_resched|__switch_to|context_switch|" +
        @"msleep\w*|usleep_range\w*|ssleep|schedule_timeout\w*|wait_for_completion\w*|__wait_for_common|do_wait_for_common|" +
        @"_printk|printk\w*|vprintk\w*|" +
        @"check_noncircular|check_prev_add|validate_chain|print_circular_bug|check_prevs_add|lockdep_\w+|__lockdep\w*|" +
        @"rcu_\w+|__rcu_\w+|print_cpu_stall\w*|check_cpu_stall|watchdog_timer_fn|__hrtimer_run_queues|hrtimer_\w+|" +
        @"update_process_times|tick_\w+|handle_\w*irq\w*|gic_handle_irq|call_on_irq_stack|do_interrupt_handler|" +
        @"__irq_exit_rcu|irq_exit\w*|generic_handle\w*|arch_timer_handler\w*|sysvec_\w+|asm_sysvec_\w+|" +
        @"ret_from_fork|kthread|worker_thread|process_one_work)$")]
    private static partial Regex Generic();
}
