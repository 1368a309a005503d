using System.Text.RegularExpressions;

namespace KernelSoak.Reports.Formats;

/// <summary>
/// Guilty-frame choices for reports whose top frame is a victim rather than the cause. A stall or lockup
/// interrupts whatever loop is spinning, at a random depth: the frame just above the code that dispatched
/// the work (a syscall's entry, a work item, a softirq, a file or socket operation) names it stably. A hung
/// task sleeps in generic waiting code: rtnl_lock and synchronize_rcu waits are grouped as such.
/// </summary>
public static class FrameChoices
{
    private static readonly Regex Dispatchers = new(string.Join('|', new[]
    {
        // work, syscall, interrupt and thread entry
        "process_one_work", "do_syscall_", "do_fast_syscall_", "sysenter_dispatch", "tracesys_phase2", "el0_svc_handler",
        "invoke_syscall", "ret_fast_syscall", "netif_receive_skb", "do_softirq", "call_timer_fn", "_run_timers",
        "run_timer_softirq", "hrtimer_run", "run_ksoftirqd", "smpboot_thread_fn", "^kthread$", "start_secondary",
        "cpu_startup_entry", "ret_from_fork",
        // file operations: the caller of these names the device or file system
        "vfs_write", "vfs_read", "vfs_iter_read", "vfs_iter_write", "do_iter_read", "do_iter_write", "call_read_iter",
        "call_write_iter", "new_sync_read", "new_sync_write", "vfs_ioctl", "ksys_ioctl", "compat_ioctl", "compat_sys_ioctl",
        "blkdev_driver_ioctl", "blkdev_ioctl", "do_iter_readv_writev", "^call_mmap", "mmap_region", "do_mmap",
        "do_dentry_open", "vfs_open",
        // socket operations: the caller names the protocol
        "^sock_sendmsg", "^sock_recvmsg", "^sock_release", "^__sock_release", "^setsockopt$", "kernel_setsockopt",
        "sock_common_setsockopt", "^listen$", "kernel_listen", "sk_common_release", "^sock_mmap", "^accept$", "kernel_accept",
        "^sock_do_ioctl", "^sock_ioctl", "^compat_sock_ioctl", "^nfnetlink_rcv_msg", "^rtnetlink_rcv_msg", "^netlink_dump",
        "^(sys_)?(socketpair|connect|ioctl)",
        // page faults and return-to-user work
        "__do_fault", "do_page_fault", "^page_fault$", "__fput", "task_work_run", "exit_to_usermode", "smp_call_function",
        "tasklet_action", "tasklet_hi_action",
    }), RegexOptions.CultureInvariant);

    private static readonly string[] Waiting = ["sched", "_lock", "_slowlock", "down", "rwsem", "completion", "kthread",
        "wait", "synchronize", "context_switch", "__switch_to", "cancel_delayed_work", "rcu_barrier"];

    /// <summary>The chosen frame and its index in <paramref name="frames"/>; null when none fits.</summary>
    public static (string Frame, int Index)? Choose(FrameChoice choice, IReadOnlyList<string> frames)
    {
        if (frames.Count == 0) return null;
        switch (choice)
        {
            case FrameChoice.First:
                return (frames[0], 0);
            case FrameChoice.Stall:
            {
                var (previous, at) = (frames[0], 0);
                for (var i = 0; i < frames.Count; i++)
                {
                    if (Dispatchers.IsMatch(frames[i]))
                        return frames[i].Contains("smp_call_function", StringComparison.Ordinal) ? ("smp_call_function", i) : (previous, at);
                    (previous, at) = (frames[i], i);
                }
                return null;
            }
            default:
            {
                for (var i = 0; i < frames.Count; i++)
                {
                    if (frames[i].Contains("rtnl_lock", StringComparison.Ordinal)) return (frames[i], i);
                    foreach (var rcu in (ReadOnlySpan<string>)["synchronize_rcu", "synchronize_srcu", "synchronize_net", "synchronize_sched"])
                        if (frames[i].Contains(rcu, StringComparison.Ordinal)) return ("synchronize_rcu", i);
                }
                for (var i = 0; i < frames.Count; i++)
                    if (!Waiting.Any(w => frames[i].Contains(w, StringComparison.Ordinal))) return (frames[i], i);
                return null;
            }
        }
    }
}
