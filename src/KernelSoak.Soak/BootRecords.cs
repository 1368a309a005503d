using KernelSoak.Journal;

namespace KernelSoak.Soak;

/// <summary>The "reboot issued" note a boot step writes before it reboots: the boot id it left and the Image it meant to boot.</summary>
public sealed record RebootNote(string Step, string? BootId, string? Image);

/// <summary>
/// What the journal holds about boots, written and read in one place: the note before each reboot and the
/// boot step's outputs (release, boot id, Image, or the no-boot verdict). A later step and a later run ask
/// their questions here instead of matching output keys.
/// </summary>
public sealed class BootRecords(RunJournal journal)
{
    private const string BootId = "boot_id", Image = "image", Release = "release", VerdictKey = "verdict", Reloaded = "reloaded";

    public static string StepOf(string probe) => $"{probe}/boot";

    /// <summary>Written before the reboot: a host killed after it resumes at the wait, not at a second reboot.</summary>
    public void NoteReboot(string step, string bootId, string imageSha) =>
        journal.Note(step, NoteKind.RebootIssued, new Dictionary<string, string> { [BootId] = bootId, [Image] = imageSha });

    /// <summary>This step's last reboot, if it issued one.</summary>
    public RebootNote? LastReboot(string step) => ToNote(journal.LastNote(NoteKind.RebootIssued, step));

    /// <summary>The reboot that was the journal's last word about its step (the run died after issuing it), if any.</summary>
    public RebootNote? Interrupted() =>
        journal.LastNote(NoteKind.RebootIssued) is { } note && journal.WasInterrupted(note.Step) ? ToNote(note) : null;

    /// <summary>The Image sha256 of the verified boot with this boot id (any probe's), if the journal has one.</summary>
    public string? VerifiedImage(string bootId) =>
        journal.Entries.LastOrDefault(e => e.Event == JournalEvent.End && e.Outcome == Outcomes.Ok && e.Step.EndsWith("/boot", StringComparison.Ordinal)
            && e.Outputs?.GetValueOrDefault(BootId) == bootId)?.Outputs?.GetValueOrDefault(Image);

    /// <summary>True when this probe's boot step recorded no-boot: there is no kernel to stress.</summary>
    public bool DidNotBoot(string probe) => journal.LastEnd(StepOf(probe))?.Outputs?.GetValueOrDefault(VerdictKey) == Verdicts.NoBoot;

    /// <summary>This probe's boot reloaded modules into an earlier boot: its kernel log already holds earlier probes' reports.</summary>
    public bool ReloadedModules(string probe) => journal.LastEnd(StepOf(probe))?.Outputs?.ContainsKey(Reloaded) == true;

    /// <summary>The modules the last install changed (what a reload must reload).</summary>
    public IReadOnlyList<string> ChangedModules() =>
        (journal.LastEndWhere(id => id.EndsWith("install/modules", StringComparison.Ordinal))?.Outputs?.GetValueOrDefault("changed_modules") ?? "")
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The outputs of a verified boot.</summary>
    public static Dictionary<string, string> Verified(string release, string bootId, string imageSha) =>
        new() { [Release] = release, [BootId] = bootId, [Image] = imageSha };

    /// <summary>The outputs of a verified boot that reloaded <paramref name="modules"/> instead of rebooting.</summary>
    public static Dictionary<string, string> WithReloaded(IReadOnlyDictionary<string, string> verified, IEnumerable<string> modules) =>
        new(verified) { [Reloaded] = string.Join(' ', modules) };

    /// <summary>The outputs of a boot whose kernel did not come up: the probe's verdict.</summary>
    public static Dictionary<string, string> NoBoot(string release) => new() { [VerdictKey] = Verdicts.NoBoot, [Release] = release };

    private static RebootNote? ToNote(JournalEntry? note) =>
        note is null ? null : new(note.Step, note.Outputs?.GetValueOrDefault(BootId), note.Outputs?.GetValueOrDefault(Image));
}
