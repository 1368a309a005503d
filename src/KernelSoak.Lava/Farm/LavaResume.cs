using System.Globalization;
using KernelSoak.Journal;

namespace KernelSoak.Lava.Farm;

/// <summary>What a probe's LAVA step does when it starts: submit a new job, or follow one a killed run submitted.</summary>
public abstract record LavaStart
{
    private LavaStart() { }

    public sealed record Submit(string Why) : LavaStart;

    /// <param name="ArtifactPort">The port the job's URLs name: served again there, for a job that has not downloaded yet.</param>
    public sealed record Reattach(int JobId, int ArtifactPort) : LavaStart;
}

/// <summary>
/// Submit or reattach, from the journal alone. The job id is journalled as a note of the step the moment LAVA
/// names it; a note no End of the step follows belongs to a run that died while its job ran: follow that job
/// (submitting again would run the probe twice and orphan the first job). A note an End follows was followed
/// to its end or cancelled with the step (a retry after an infra-error, a re-run after Ctrl+C submit anew), and
/// one made with other inputs is another probe's.
/// </summary>
public static class LavaResume
{

    public static IReadOnlyDictionary<string, string> NoteOutputs(int jobId, string fingerprint, int artifactPort) => new Dictionary<string, string>
    {
        ["job_id"] = jobId.ToString(CultureInfo.InvariantCulture),
        ["fp"] = fingerprint,
        ["artifact_port"] = artifactPort.ToString(CultureInfo.InvariantCulture),
    };

    public static LavaStart Decide(IReadOnlyList<JournalEntry> entries, string step, string fingerprint)
    {
        var note = -1;
        for (var i = entries.Count - 1; i >= 0 && note < 0; i--)
            if (entries[i].Step == step && entries[i].NoteKind == NoteKind.LavaJobSubmitted) note = i;
        if (note < 0) return new LavaStart.Submit("no job was submitted for this step");
        if (entries.Skip(note + 1).Any(e => e.Step == step && e.Event == JournalEvent.End))
            return new LavaStart.Submit("the last job of this step was followed to its end");
        var outputs = entries[note].Outputs ?? [];
        if (outputs.GetValueOrDefault("fp") != fingerprint)
            return new LavaStart.Submit("the journalled job was made from other inputs");
        if (!int.TryParse(outputs.GetValueOrDefault("job_id"), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return new LavaStart.Submit("the journalled job id cannot be read");
        var port = int.TryParse(outputs.GetValueOrDefault("artifact_port"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0;
        return new LavaStart.Reattach(id, port);
    }
}
