namespace KernelSoak.Lava.Jobs;

/// <summary>
/// One probe as a LAVA job: deploy the kernel (and an initramfs, a dtb) from URLs to the device's tmpfs,
/// boot it with LAVA's qemu method (the kernel directly, not through the board's U-Boot), then type the
/// campaign's stress commands at the shell while LAVA records the console: the kernel log we classify.
/// Build one with <see cref="Create"/>: every value that reaches a shell or a command line is checked there.
/// </summary>
public sealed record LavaJob
{
    public required string Name { get; init; }
    public required string DeviceType { get; init; }
    public required QemuMachine Machine { get; init; }
    public required Uri Kernel { get; init; }
    /// <summary>An initramfs, for a kernel built with CONFIG_BLK_DEV_INITRD.</summary>
    public Uri? Ramdisk { get; init; }
    /// <summary>A raw root filesystem image, attached as the first virtio disk (/dev/vda).</summary>
    public Uri? RootDisk { get; init; }
    public Uri? Dtb { get; init; }
    public required IReadOnlyList<string> KernelArguments { get; init; }
    /// <summary>The shell prompt the board prints when it is ready for a command.</summary>
    public required string Prompt { get; init; }
    public required IReadOnlyList<StressStep> Stress { get; init; }
    public required JobTimeouts Timeouts { get; init; }
    /// <summary>LAVA's job priority (0..100): a bisect's probes may go before a nightly soak.</summary>
    public int Priority { get; init; } = 50;

    public static LavaJob Create(string name, string deviceType, QemuMachine machine, JobImages images,
        IEnumerable<string> kernelArguments, string prompt, IEnumerable<StressStep> stress, JobTimeouts timeouts, int priority = 50)
    {
        if (priority is < 0 or > 100) throw new ArgumentException($"priority {priority}: LAVA takes 0..100");
        var steps = stress.ToList();
        return new LavaJob
        {
            Name = JobValues.Name("job name", name),
            DeviceType = JobValues.CaseName(deviceType),
            Machine = machine,
            Kernel = JobValues.ArtifactUrl("kernel", images.Kernel),
            Ramdisk = images.Ramdisk is null ? null : JobValues.ArtifactUrl("ramdisk", images.Ramdisk),
            RootDisk = images.RootDisk is null ? null : JobValues.ArtifactUrl("root disk", images.RootDisk),
            Dtb = images.Dtb is null ? null : JobValues.ArtifactUrl("dtb", images.Dtb),
            KernelArguments = kernelArguments.Select(JobValues.KernelArgument).ToList(),
            Prompt = string.IsNullOrEmpty(prompt) || prompt.Any(char.IsControl) ? throw new ArgumentException($"prompt '{prompt}': one line of printable text") : prompt,
            Stress = steps,
            Timeouts = timeouts,
            Priority = priority,
        };
    }
}

/// <summary>Where the dispatcher downloads the probe's artifacts from (see <see cref="Serving.ArtifactServer"/>).</summary>
public sealed record JobImages(Uri Kernel, Uri? Ramdisk = null, Uri? RootDisk = null, Uri? Dtb = null);

/// <summary>The QEMU guest LAVA's qemu device type starts (its job context): no KVM here, so TCG.</summary>
public sealed record QemuMachine(string Arch, string Cpu, string MachineType, int MemoryMiB, int Cpus)
{
    public static QemuMachine Arm64Virt(int memoryMiB = 1024, int cpus = 2) => new("arm64", "cortex-a57", "virt", memoryMiB, cpus);
}

/// <summary>One campaign workload: <see cref="Command"/> run again and again at the board's shell until <see cref="Duration"/> is up, beside the others.</summary>
public sealed record StressStep
{
    public string Name { get; }
    public string Command { get; }
    public TimeSpan Duration { get; }

    /// <summary>A campaign's stress command as a job step: its profile names the step.</summary>
    public static StressStep From(KernelSoak.Soak.StressCommand command) => new(command.Profile, command.Command, command.Duration);

    public StressStep(string name, string command, TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero) throw new ArgumentException($"stress step {name}: the duration must be positive");
        Name = JobValues.CaseName(name);
        Command = JobValues.ConsoleCommand($"stress step {name}", command);
        Duration = duration;
    }
}

/// <summary>
/// How long LAVA waits for each phase before it gives the job up. The stress line must end within its longest
/// step's duration plus <see cref="StressMargin"/>: past that LAVA's interactive test times out (the board stopped answering).
/// </summary>
public sealed record JobTimeouts(TimeSpan Deploy, TimeSpan Boot, TimeSpan StressMargin)
{
    public static JobTimeouts ForTcg { get; } = new(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(3));
}
