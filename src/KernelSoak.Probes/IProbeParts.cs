using KernelSoak.Campaigns;
using KernelSoak.Series;
using KernelSoak.Soak;
using KernelSoak.Steps;

namespace KernelSoak.Probes;

/// <summary>
/// The parts a probe of one point is made of, each as the steps that do it: the build host's (apply and build),
/// the board's or the farm's (install, then boot, stress and harvest) and the prebuild's. The
/// <see cref="ProbeLifecycle"/> decides which run, in what order and under which names; an implementation only
/// does them.
/// </summary>
public interface IProbeParts
{
    /// <summary>The series up to <paramref name="patch"/> applied to the work branch, and its kernel built.</summary>
    IEnumerable<Step> ApplyAndBuild(PatchRef patch);

    /// <summary>The built kernel put where its probes boot it (steps named under <paramref name="prefix"/>).</summary>
    IEnumerable<Step> Install(string prefix);

    /// <summary>The next kernels built while this one is probed (point <paramref name="index"/>; -1 the baseline).</summary>
    IEnumerable<Step> PrebuildAfter(int index, ProbeNext? next);

    /// <summary>Boot, stress and harvest: one probe, its verdict.json written under <paramref name="probe"/>.</summary>
    IEnumerable<Step> Probe(string probe, IReadOnlySet<string> preExisting, ProbeWindow? window);

    /// <summary>What the probe <paramref name="probe"/> harvested; null when it has no verdict yet.</summary>
    ProbeOutcome? Harvested(string probe);

    /// <summary>The probe <paramref name="probe"/>'s last step ended well: it is over, not interrupted in its harvest.</summary>
    bool Finished(string probe);

    /// <summary>Where the probe <paramref name="probe"/> keeps its files.</summary>
    string ProbeDir(string probe);

    /// <summary>Journals a failure the lab caused in a probe of <paramref name="patch"/> (never a verdict).</summary>
    void NoteInfraError(PatchRef patch, Exception e);
}

/// <summary>The points' records: what each point of the series has shown, valid for the inputs it was built from.</summary>
public interface IPointStore
{
    /// <summary>Where summary.md, results.json and junit.xml are written.</summary>
    string Dir { get; }

    /// <summary>The record of <paramref name="patch"/> made from today's patches and kernel inputs; null otherwise.</summary>
    PointRecord? Record(PatchRef patch);

    /// <summary>Keeps the point's record and rewrites the series' results from all records.</summary>
    void Save(PatchRef patch, string verdict, string note, IReadOnlyList<ProbeRun> runs);

    /// <summary>Where the record of <paramref name="patch"/> is kept.</summary>
    string PathOf(PatchRef patch);
}
