using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using KernelSoak.Boards;
using KernelSoak.Boards.Consoles;
using KernelSoak.Boards.Strategy;

namespace KernelSoak.Tests.Boards;

/// <summary>What a kernel does once U-Boot starts it: print, pause, answer on SSH as a release.</summary>
public sealed record KernelStep(string? Print = null, TimeSpan Pause = default, string? Answers = null, Action? Then = null);

/// <summary>
/// A board as its console, power switch and SSH show it, from scripted transcripts (no board): each boot
/// prints U-Boot's banner and extlinux menu, reads the choice typed at "Enter choice:" (the default when
/// nothing comes within the menu's time), then plays the chosen label's kernel script. It speaks over
/// <see cref="Send"/> and hears through <see cref="Hear"/>, so a pty or ser2net can sit in between.
/// </summary>
public sealed class ScriptedBoard : IPowerSwitch, IRunningSystem, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Channel<char> _typed = Channel.CreateUnbounded<char>();
    private CancellationTokenSource _boot = new();
    private Task _running = Task.CompletedTask;
    private BootedSystem? _up;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _bootNumber;

    public required Func<ReadOnlyMemory<byte>, Task> Send { get; set; }
    public required IReadOnlyList<(string Label, string Text)> Menu { get; init; }
    public required string DefaultLabel { get; set; }
    public required IReadOnlyDictionary<string, IReadOnlyList<KernelStep>> Kernels { get; init; }
    public TimeSpan MenuWait { get; init; } = TimeSpan.FromMilliseconds(800);

    /// <summary>The lines typed at the menu, in order.</summary>
    public List<string> Choices { get; } = [];
    public int Resets { get; private set; }
    public int RebootRequests { get; private set; }
    /// <summary>The kexec requests the running kernel took, in order.</summary>
    public List<KexecRequest> Kexecs { get; } = [];
    /// <summary>Reboots the kernel did by itself (panic=N), through U-Boot and without the power switch.</summary>
    public int SelfReboots { get; private set; }
    /// <summary>When the board sent each marked line (for latency measurements).</summary>
    public Dictionary<string, long> SentAt { get; } = [];

    public void Hear(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes) _typed.Writer.TryWrite((char)b);
    }

    public BootedSystem? Up
    {
        get { lock (_gate) return _up; }
    }

    public bool IsOn => true;
    public Task OnAsync(CancellationToken cancellation = default) => Task.CompletedTask;
    public Task OffAsync(CancellationToken cancellation = default) => StopAsync();

    public async Task ResetAsync(CancellationToken cancellation = default)
    {
        Resets++;
        await StopAsync();
        StartBoot();
    }

    public async Task RequestRebootAsync(CancellationToken cancellation)
    {
        RebootRequests++;
        await StopAsync();
        StartBoot();
    }

    /// <summary>How many of the next kexec loads fail as on a running kernel without KEXEC.</summary>
    public int KexecRefusals { get; set; }

    /// <summary>kexec: the label whose Image the request names starts at once, without U-Boot; an unknown Image fails to load, as kexec -l does.</summary>
    public async Task RequestKexecAsync(KexecRequest request, CancellationToken cancellation)
    {
        if (KexecRefusals > 0)
        {
            KexecRefusals--;
            throw new KexecLoadException(request.LoadCommand(), 255, "kexec_load failed: Function not implemented");
        }
        var label = Menu.Select(m => m.Label).FirstOrDefault(l => request.Image.EndsWith("/Image-" + l, StringComparison.Ordinal))
            ?? throw new KexecLoadException(request.LoadCommand(), 255, $"Cannot open `{request.Image}': No such file or directory");
        Kexecs.Add(request);
        await StopAsync();
        StartBoot(kexecInto: label);
    }

    /// <summary>The kernel's own reboot after a panic (panic=N): U-Boot again, its default label, no power switch.</summary>
    public async Task RebootByItselfAsync()
    {
        SelfReboots++;
        await StopAsync();
        StartBoot();
    }

    /// <summary>Boots the board once without a request (the board as found: on its default label).</summary>
    public void PowerOn() => StartBoot();

    public async Task<BootedSystem> WaitForNewBootAsync(string previousBootId, TimeSpan timeout, CancellationToken cancellation)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_up is { } up && up.BootId != previousBootId) return up;
                changed = _changed.Task;
            }
            var left = timeout - deadline.Elapsed;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"no new boot answered within {timeout.TotalSeconds:0.#} s");
            try
            {
                await changed.WaitAsync(left, cancellation);
            }
            catch (TimeoutException)
            {
            }
        }
    }

    private async Task StopAsync()
    {
        await _boot.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }
        SetUp(null);
    }

    private void StartBoot(string? kexecInto = null)
    {
        _boot = new CancellationTokenSource();
        var token = _boot.Token;
        _running = Task.Run(() => kexecInto is null ? BootAsync(token) : RunKernelAsync(kexecInto, Interlocked.Increment(ref _bootNumber), token), CancellationToken.None);
    }

    private void SetUp(BootedSystem? up)
    {
        lock (_gate)
        {
            _up = up;
            var woken = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            woken.TrySetResult();
        }
    }

    private async Task BootAsync(CancellationToken cancellation)
    {
        while (_typed.Reader.TryRead(out _)) { } // what was typed before the reset is gone with the UART's FIFO
        var number = Interlocked.Increment(ref _bootNumber);
        await PrintAsync("\r\n\r\nU-Boot 2024.01-ks (Jan 01 2024 - 00:00:00 +0000)\r\n\r\nDRAM:  8 GiB\r\nHit any key to stop autoboot:  0 \r\n", cancellation);
        await PrintAsync("Scanning mmc 0:1...\r\nFound /extlinux/extlinux.conf\r\nRetrieving file: /extlinux/extlinux.conf\r\nKernelSoak boot menu\r\n", cancellation);
        for (var i = 0; i < Menu.Count; i++) await PrintAsync($"{i + 1}:\t{Menu[i].Text}\r\n", cancellation);
        await PrintAsync("Enter choice: ", cancellation);
        var label = DefaultLabel;
        if (await ReadChoiceAsync(cancellation) is { } line)
        {
            Choices.Add(line);
            label = int.TryParse(line.Trim(), out var n) && n >= 1 && n <= Menu.Count ? Menu[n - 1].Label : DefaultLabel;
            await PrintAsync(line.Trim() + "\r\n", cancellation);
        }
        var entry = Menu.First(m => m.Label == label);
        await PrintAsync($"{Menu.ToList().IndexOf(entry) + 1}:\t{entry.Text}\r\nRetrieving file: /Image-{label}\r\nRetrieving file: /board.dtb\r\n" +
            "## Flattened Device Tree blob at 0x4f000000\r\n   Loading Device Tree to 000000007e7f2000, end 000000007e7ff0ab ... OK\r\n\r\nStarting kernel ...\r\n\r\n", cancellation);
        await PlayAsync(label, number, cancellation);
    }

    /// <summary>A kexec: the old kernel's last line, then the new kernel straight away.</summary>
    private async Task RunKernelAsync(string label, int number, CancellationToken cancellation)
    {
        await PrintAsync("[  100.000000] kexec_core: Starting new kernel\r\n", cancellation);
        await PlayAsync(label, number, cancellation);
    }

    private async Task PlayAsync(string label, int number, CancellationToken cancellation)
    {
        foreach (var step in Kernels[label])
        {
            if (step.Print is { } text) await PrintAsync(text, cancellation);
            if (step.Pause > TimeSpan.Zero) await Task.Delay(step.Pause, cancellation);
            if (step.Answers is { } release) SetUp(new BootedSystem(release, $"boot-{number}"));
            step.Then?.Invoke();
        }
    }

    private async Task<string?> ReadChoiceAsync(CancellationToken cancellation)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        wait.CancelAfter(MenuWait);
        var line = new StringBuilder();
        try
        {
            while (true)
            {
                var c = await _typed.Reader.ReadAsync(wait.Token);
                if (c == '\n') return line.ToString();
                line.Append(c);
            }
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return null; // U-Boot's menu timed out: the default boots
        }
    }

    private async Task PrintAsync(string text, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        foreach (var line in text.Split('\n').Where(l => l.Contains("---[ end ", StringComparison.Ordinal)))
            SentAt[line.Trim()] = Stopwatch.GetTimestamp();
        await Send(Encoding.Latin1.GetBytes(text));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _boot.Dispose();
    }

    /// <summary>Kernel scripts: one that boots and answers, one that panics at boot, one that hangs.</summary>
    public static class Scripts
    {
        public static IReadOnlyList<KernelStep> Boots(string release, string extra = "") =>
        [
            new($"[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x410fd083]\r\n[    0.000000] Linux version {release} (ks@host) #1 SMP PREEMPT\r\n{extra}"),
            new("[    2.100000] Run /sbin/init as init process\r\n", TimeSpan.FromMilliseconds(300), Answers: release),
        ];

        public static IReadOnlyList<KernelStep> Panics(string release) =>
        [
            new($"[    0.000000] Linux version {release} (ks@host) #1 SMP PREEMPT\r\n", TimeSpan.FromMilliseconds(200)),
            new(PanicTranscript(release)),
        ];

        public static IReadOnlyList<KernelStep> Hangs(string release) =>
        [
            new($"[    0.000000] Linux version {release} (ks@host) #1 SMP PREEMPT\r\n[    1.000000] rcu: Hierarchical SRCU implementation.\r\n"),
        ];

        public const string PanicTitle = "VFS: Unable to mount root fs on unknown-block(0,0)";

        public static string PanicTranscript(string release) =>
            "[   13.600000] VFS: Cannot open root device \"vdz\" or unknown-block(0,0): error -6\r\n" +
            "[   13.600100] Please append a correct \"root=\" boot option; here are the available partitions:\r\n" +
            $"[   13.600200] Kernel panic - not syncing: {PanicTitle}\r\n" +
            $"[   13.600300] CPU: 1 PID: 1 Comm: swapper/0 Not tainted {release} #1\r\n" +
            "[   13.600400] Hardware name: linux,dummy-virt (DT)\r\n" +
            "[   13.600500] Call trace:\r\n" +
            "[   13.600600]  dump_backtrace+0x9c/0x100\r\n" +
            "[   13.600700]  panic+0x35c/0x3b0\r\n" +
            "[   13.600800]  mount_root_generic+0x1e4/0x2a0\r\n" +
            "[   13.600900]  prepare_namespace+0x150/0x190\r\n" +
            "[   13.601000]  kernel_init+0x24/0x1e0\r\n" +
            "[   13.601100] Kernel Offset: disabled\r\n" +
            $"[   13.601200] ---[ end Kernel panic - not syncing: {PanicTitle} ]---\r\n";
    }
}
