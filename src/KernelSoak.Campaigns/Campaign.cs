namespace KernelSoak.Campaigns;

/// <summary>A debugging campaign as data: the seed plan's every decision, in one TOML file.</summary>
public sealed class Campaign
{
    [RequiredKey, TomlName("campaign")] public CampaignInfo Info { get; set; } = new();
    [RequiredKey] public KernelSpec Kernel { get; set; } = new();
    public List<ConfigOption> Config { get; set; } = [];
    [RequiredKey] public InstallSpec Install { get; set; } = new();
    public BootSpec Boot { get; set; } = new();
    public SeriesSpec Series { get; set; } = new();
    public List<StressProfile> Stress { get; set; } = [];
    public MonitorSpec Monitor { get; set; } = new();
    public List<ExitRule> ExitRule { get; set; } = [];

    /// <summary>Where the file was read from (for relative paths).</summary>
    public string SourcePath { get; set; } = "";
    public string Id => Info.Id;
}

public sealed class CampaignInfo
{
    [RequiredKey] public string Id { get; set; } = "";
    public string Title { get; set; } = "";
    /// <summary>The plan this campaign encodes (for the reader).</summary>
    public string Plan { get; set; } = "";
}

public enum BaseConfigKind { Defconfig, Tinyconfig, Running, File }

public sealed class KernelSpec
{
    /// <summary>A git kernel tree, or "debian:linux-source-6.1" to unpack Debian's tarball into the cache.</summary>
    [RequiredKey] public string Tree { get; set; } = "";
    [RequiredKey] public string Arch { get; set; } = "";
    public string CrossCompile { get; set; } = "";
    public BaseConfigKind Base { get; set; } = BaseConfigKind.Defconfig;
    /// <summary>For base = "file": the config file; for tinyconfig/defconfig: an optional fragment merged first.</summary>
    public string BaseFile { get; set; } = "";
    /// <summary>CONFIG_LOCALVERSION (in the config, so changing it rebuilds everything).</summary>
    public string Localversion { get; set; } = "";
    /// <summary>The make variable LOCALVERSION: appended to the release without touching the config (only the version files rebuild).</summary>
    public string ReleaseSuffix { get; set; } = "";
    public List<string> Targets { get; set; } = ["Image", "modules", "dtbs"];
    /// <summary>0 = the host's CPU count.</summary>
    public int Jobs { get; set; }
    public bool Ccache { get; set; } = true;
    /// <summary>Out-of-tree module directories (paths relative to the campaign) built against this kernel and installed under extra/.</summary>
    public List<string> ExternalModules { get; set; } = [];
}

public sealed class ConfigOption
{
    [RequiredKey] public string Name { get; set; } = "";
    /// <summary>y, m, n, a number, or a string; "undef" removes the symbol.</summary>
    [RequiredKey, ScalarAsString] public string Value { get; set; } = "";
    /// <summary>bool, tristate, int, hex, string; empty = from the value.</summary>
    public string Type { get; set; } = "";
    /// <summary>A dropped optional option is a warning, not a failure.</summary>
    public bool Optional { get; set; }
    public string Why { get; set; } = "";
}

/// <summary>
/// How the test kernel is started: its label typed at U-Boot's menu over the console (serial-menu), made the
/// default for one boot (flip-default), picked by a person (manual), or loaded and started by the running
/// known-good kernel with kexec, no boot loader involved and the default never edited (kexec).
/// </summary>
public enum BootSelection { SerialMenu, FlipDefault, Manual, Kexec }
public enum InitramfsTool { None, Mkinitcpio, Dracut, UpdateInitramfs }

public sealed class InstallSpec
{
    public string BootDir { get; set; } = "/boot/firmware";
    public string Extlinux { get; set; } = "/boot/firmware/extlinux/extlinux.conf";
    /// <summary>File names under boot_dir; {release} is the kernel release.</summary>
    public string Image { get; set; } = "Image-{release}";
    /// <summary>The built DTB (under arch/*/boot/dts); empty = the board's firmware supplies it.</summary>
    public string Dtb { get; set; } = "";
    public string DtbName { get; set; } = "{dtb}-{release}";
    public InitramfsTool Initramfs { get; set; } = InitramfsTool.None;
    public string InitramfsName { get; set; } = "initramfs-{release}.img";
    [RequiredKey] public string Label { get; set; } = "";
    [RequiredKey] public string DefaultLabel { get; set; } = "";
    public List<string> FallbackLabels { get; set; } = [];
    /// <summary>Appended to the default label's command line for the new label.</summary>
    public List<string> AppendExtra { get; set; } = [];
    public BootSelection BootSelection { get; set; } = BootSelection.SerialMenu;
    /// <summary>Floor for free space on boot_dir; the real need is computed from the build.</summary>
    public int MinFreeMb { get; set; } = 30;
    public bool AllowModuleReload { get; set; }
}

public sealed class BootSpec
{
    /// <summary>KASAN boots are slow (the plan's R7).</summary>
    public int TimeoutS { get; set; } = 300;
    public int PowerCycles { get; set; } = 1;
    public List<string> Smoke { get; set; } = ["uname -r"];
    /// <summary>
    /// boot_selection = kexec: panic=N added to the test kernel's command line (unless its label already reboots
    /// after a panic), so a test kernel that dies reboots through U-Boot into the known-good default by itself.
    /// </summary>
    public int PanicRebootS { get; set; } = 10;
}

public enum SearchMode { Sequential, Binary }

public sealed class SeriesSpec
{
    public string Dir { get; set; } = "patches";
    public SearchMode Mode { get; set; } = SearchMode.Sequential;
    public bool StopAtFirstBad { get; set; } = true;
    /// <summary>A patch is good only after this many clean probes (flaky bugs).</summary>
    public int Attempts { get; set; } = 1;
    public bool Baseline { get; set; } = true;
    /// <summary>A probe that hits infrastructure trouble (SSH lost, a failed power switch, a full host disk) is retried this often before the run stops; never a verdict.</summary>
    public int InfraRetries { get; set; } = 1;
    /// <summary>Binary mode: a probe is sized so that a bug at the measured rate is missed with at most this probability, and the answer is wrong with at most this probability.</summary>
    public double MissProbability { get; set; } = 0.05;
    /// <summary>Binary mode: the most stress seconds one point of the series gets, all its probes together.</summary>
    public int MaxProbeS { get; set; } = 1800;
    /// <summary>"any" (every report that is not the baseline's), or a regex over report titles: only those steer the search; the rest are recorded.</summary>
    public string Hunt { get; set; } = "any";
    /// <summary>Binary mode: when the whole series probes clean, keep stressing it up to max_probe_s before calling it clean.</summary>
    public bool SoakBadEnd { get; set; }
    /// <summary>Binary mode: the bug's assumed mean interval between reports (seconds) until one is measured; 0 = none.</summary>
    public double AssumedIntervalS { get; set; }
    /// <summary>
    /// While a probe boots and stresses, build the next kernel(s) in a second worktree and build directory (niced,
    /// a ccache warm-up only: never a verdict): the next patch of a walk, both possible next midpoints of a search.
    /// Off by default: on a 2-core host running the emulated board it competes with QEMU (bench/RESULTS.md, session 14).
    /// </summary>
    public bool Pipeline { get; set; }
    public List<PatchRef> Patches { get; set; } = [];
}

public sealed class PatchRef
{
    [RequiredKey] public string Id { get; set; } = "";
    /// <summary>Path under series.dir; empty = the first file starting with the id.</summary>
    public string File { get; set; } = "";
    public string Title { get; set; } = "";
}

public enum StressKind { Commands, Manual }

public sealed class StressProfile
{
    [RequiredKey] public string Name { get; set; } = "";
    public StressKind Kind { get; set; } = StressKind.Commands;
    public string Description { get; set; } = "";
    /// <summary>Run concurrently on the board, each restarted when it exits early.</summary>
    public List<string> Commands { get; set; } = [];
    /// <summary>For manual steps: what the person at the board does.</summary>
    public string Instruction { get; set; } = "";
    public int DurationS { get; set; } = 1200;
    public bool Enabled { get; set; } = true;
}

public sealed class MonitorSpec
{
    /// <summary>The seed's grep pattern is a floor: the classifier finds every report class anyway.</summary>
    public List<string> Patterns { get; set; } = [];
    /// <summary>Known noise (the plan's R9), as title regexes.</summary>
    public List<string> Suppress { get; set; } = [];
    public int HeartbeatS { get; set; } = 10;
    public int WedgeTimeoutS { get; set; } = 120;
    public bool Netconsole { get; set; }
    public bool StopOnFirstReport { get; set; }
}

public enum ExitOutcome { Success, Partial, Failure }
public enum ExitTrigger { Report, Wedge, NoBoot, Clean }

public sealed class ExitRule
{
    [RequiredKey] public ExitOutcome Outcome { get; set; }
    [RequiredKey] public ExitTrigger When { get; set; }
    [RequiredKey] public string Action { get; set; } = "";
}
