using KernelSoak.Series;
using KernelSoak.Settings;
using KernelSoak.Soak;
using KernelSoak.Steps;

namespace KernelSoak.Build.Plans;

/// <summary>
/// The one place a board kind picks a probe's steps. A board over SSH: preflight of the board, install,
/// boot, stress window, harvest. A LAVA device type: preflight of the server, nothing to install, and one
/// step, {probe}/lava, that is the job (<see cref="LavaPlan"/>). Either way the probe's verdict.json lands in
/// the same directory, so the series search and the reports read it unchanged.
/// </summary>
public abstract class ProbeSteps
{
    private static readonly ProbeSteps OverSsh = new BoardSteps(), AsLavaJob = new LavaSteps();

    // A switch, not a table: a new BoardKind without its steps does not compile (CS8509, warnings are errors).
    // Settings bind the kind by name, so no unnamed value reaches here (CS8524).
#pragma warning disable CS8524
    public static ProbeSteps For(BuildContext c) => c.Settings.Board.Kind switch
    {
        BoardKind.Qemu or BoardKind.Ssh => OverSsh,
        BoardKind.Lava => AsLavaJob,
    };
#pragma warning restore CS8524

    /// <summary>A round of parallel probes a killed run left unfinished (only a farm runs rounds); null when there is none.</summary>
    public virtual IReadOnlyList<RoundProbe>? PendingRound(BuildContext c, IReadOnlyList<string> ids) => null;

    /// <summary>The board (or farm) the run probes on, for the run's first line and the results.</summary>
    public abstract string Where(BuildContext c);

    public abstract IEnumerable<Step> Preflight(BuildContext c);

    /// <summary>The built kernel put where its probes boot it.</summary>
    public abstract IEnumerable<Step> Install(BuildContext c, string prefix = "install");

    /// <summary>Boot and stress: the window the monitor watches.</summary>
    public abstract IEnumerable<Step> Window(BuildContext c, string probe, IReadOnlySet<string>? preExisting = null, bool everyRun = false, ProbeWindow? window = null);

    /// <summary>What is collected after the window (verdict.json written by its last step).</summary>
    public abstract IEnumerable<Step> Harvest(BuildContext c, string probe, bool everyRun = false);

    /// <summary>The step whose successful end means the probe is over.</summary>
    public abstract string LastStep(string probe);

    public IEnumerable<Step> Probe(BuildContext c, string probe, IReadOnlySet<string>? preExisting = null, ProbeWindow? window = null) =>
        Window(c, probe, preExisting, window: window).Concat(Harvest(c, probe));

    private sealed class BoardSteps : ProbeSteps
    {
        public override string Where(BuildContext c) => $"{c.Settings.Board.Kind.ToString().ToLowerInvariant()} at {c.Board.Address}";
        public override IEnumerable<Step> Preflight(BuildContext c) => PreflightPlan.Steps(c);
        public override IEnumerable<Step> Install(BuildContext c, string prefix = "install") => InstallPlan.Steps(c, prefix);

        public override IEnumerable<Step> Window(BuildContext c, string probe, IReadOnlySet<string>? preExisting = null, bool everyRun = false, ProbeWindow? window = null) =>
            BootPlan.Steps(c, probe).Concat(StressPlan.Steps(c, probe, preExisting, everyRun, window));

        public override IEnumerable<Step> Harvest(BuildContext c, string probe, bool everyRun = false) => HarvestPlan.Steps(c, probe, everyRun);
        public override string LastStep(string probe) => $"{probe}/harvest";
    }

    private sealed class LavaSteps : ProbeSteps
    {
        public override string Where(BuildContext c) => $"LAVA {c.Settings.Lava.Server}, device type {c.Settings.Lava.DeviceType}";
        public override IEnumerable<Step> Preflight(BuildContext c) => LavaPlan.Preflight(c);
        // The job downloads the kernel from the artifact server: nothing goes to a board beforehand.
        public override IEnumerable<Step> Install(BuildContext c, string prefix = "install") => [];

        public override IEnumerable<Step> Window(BuildContext c, string probe, IReadOnlySet<string>? preExisting = null, bool everyRun = false, ProbeWindow? window = null) =>
            LavaPlan.Steps(c, probe, preExisting, everyRun, window);

        // The job's log is the harvest: the lava step classifies it and writes verdict.json.
        public override IEnumerable<Step> Harvest(BuildContext c, string probe, bool everyRun = false) => [];
        public override string LastStep(string probe) => LavaPlan.StepOf(probe);
        public override IReadOnlyList<RoundProbe>? PendingRound(BuildContext c, IReadOnlyList<string> ids) => BisectRoundPlan.Pending(c, ids);
    }
}
