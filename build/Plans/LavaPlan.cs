using System.Text.Json;
using KernelSoak.Journal;
using KernelSoak.Lava.Farm;
using KernelSoak.Soak;
using KernelSoak.Steps;

namespace KernelSoak.Build.Plans;

/// <summary>
/// [Board] Kind = lava: a probe is one LAVA job, run by one step (see <see cref="LavaProbeRun"/>: serve the
/// kernel, submit or reattach, follow, classify the log). Its outcome goes where a local board's probe puts it:
/// probe.json and verdict.json in the probe's directory. Wiring only: the decisions are in KernelSoak.Lava.
/// </summary>
public static class LavaPlan
{
    public static string StepOf(string probe) => $"{probe}/lava";

    public static IEnumerable<Step> Preflight(BuildContext c)
    {
        var s = c.Settings.Lava;
        yield return new Step("preflight", $"LAVA {s.Server}: answers and takes the token; device type {s.DeviceType} has a device that takes jobs; the artifact server can listen; the campaign's job renders", "",
            [$"GET {s.Server.TrimEnd('/')}/api/v0.2/devices/?device_type={s.DeviceType}   (the token in the Authorization header, never shown)", $"listen on {s.ArtifactBind}:{s.ArtifactPort}"],
            async ct =>
            {
                var checks = await LavaPreflight.CheckAsync(s, Request(c, "preflight", "", null, null), ct: ct);
                c.Output.Checks(checks.Select(x => (x.Name, x.Passed, x.Detail)));
                if (checks.FirstOrDefault(x => !x.Passed) is { } failed)
                    throw new KernelSoak.Frosting.UserErrorException($"preflight failed ({string.Join(", ", checks.Where(x => !x.Passed).Select(x => x.Name))}): nothing was submitted. {failed.Detail}");
                return StepResult.Ok(new Dictionary<string, string> { ["server"] = s.Server, ["device_type"] = s.DeviceType });
            }) { AlwaysRun = true };
    }

    /// <summary>The job's inputs: the window and the [Lava] settings that make it another job (a changed one submits anew).</summary>
    public static string JobInputs(BuildContext c, ProbeWindow? window) => Fingerprint.Of(StressPlan.WindowFingerprint(c, window), LavaFarm.Inputs(c.Settings.Lava));

    /// <param name="round">A job of a round: its own kept kernel, its slot, told when it is queued; null: one probe, the build tree's kernel.</param>
    public static IEnumerable<Step> Steps(BuildContext c, string probe, IReadOnlySet<string>? preExisting, bool everyRun, ProbeWindow? window, LavaRoundJob? round = null)
    {
        var s = c.Settings.Lava;
        var step = StepOf(probe);
        var fingerprint = JobInputs(c, window);
        var dir = StressPlan.ProbeDir(c, probe);
        var api = $"{s.Server.TrimEnd('/')}/api/v0.2";
        yield return new Step(step, $"one LAVA job on {s.DeviceType}: deploy the kernel, boot, {string.Join(", ", StressPlan.Commands(c, window).Select(x => $"{x.Profile} {x.Duration.TotalSeconds:0} s"))}; the job's log classified here",
            fingerprint,
            [$"serve {round?.Image ?? "Image"}{(s.RootDisk.Length > 0 ? $" and {s.RootDisk}" : "")} at http://{(s.ArtifactHost.Length > 0 ? s.ArtifactHost : s.ArtifactBind)}:{(s.ArtifactPort == 0 ? "<port>" : s.ArtifactPort)}/",
             $"POST {api}/jobs/ <job: deploy tmpfs, boot qemu, interactive stress> (the token in the Authorization header); the job id journalled before waiting",
             $"GET {api}/jobs/<id>/ every {s.PollSeconds} s until finished (a killed run reattaches to <id>)",
             $"GET {api}/jobs/<id>/logs/ > {Path.Combine(dir, "lava-job.yaml")}; classified → {Path.Combine(dir, "verdict.json")}"],
            async ct =>
            {
                Directory.CreateDirectory(dir);
                File.Delete(Path.Combine(dir, "verdict.json")); // an earlier run's verdict must not stand for this job
                ProbeOutcome outcome;
                try
                {
                    var request = Request(c, probe, fingerprint, preExisting, window);
                    outcome = await new LavaProbeRun(s, c.Journal, c.Output.Info, slot: round?.Slot ?? 0)
                        .RunAsync(round is null ? request : request with { Image = round.Image }, dir, ct, round?.Queued);
                }
                catch (LavaInfraException e)
                {
                    await Write(dir, "probe.json", e.Outcome, ct);
                    throw;
                }
                await Write(dir, "probe.json", outcome, ct);
                await Write(dir, "verdict.json", outcome, ct);
                c.Output.Info($"{probe}: verdict {outcome.Verdict} after {outcome.StressSeconds:0} s of stress{(outcome.Reports.Count > 0 ? $" ({string.Join("; ", outcome.Reports.Select(r => r.Title))})" : "")}");
                return StepResult.Ok(new Dictionary<string, string> { ["verdict"] = outcome.Verdict, ["dir"] = dir });
            }) { AlwaysRun = everyRun };
    }

    private static LavaProbeRequest Request(BuildContext c, string probe, string fingerprint, IReadOnlySet<string>? preExisting, ProbeWindow? window) => new(
        StepOf(probe), fingerprint, $"kernelsoak {c.Campaign.Id} {probe}", c.Campaign.Kernel.Arch,
        File.Exists(c.ManifestPath) ? Kernel.BuildManifest.Load(c.ManifestPath).Image.Path : Path.Combine(c.Kernel.BuildDir, "arch", c.Campaign.Kernel.Arch, "boot", "Image"),
        c.Campaign.Install.AppendExtra, StressPlan.Commands(c, window), c.Campaign.Monitor.Suppress, preExisting ?? new HashSet<string>());

    /// <summary>
    /// A round builds its next cut's kernel over this one's while this one's job may not have downloaded it yet:
    /// the probe keeps its own copy, which its job is served from (and a reattached job after a restart).
    /// </summary>
    public static Step KeepImage(BuildContext c, string probe)
    {
        var kept = KeptImage(c, probe);
        var manifest = File.Exists(c.ManifestPath) ? Kernel.BuildManifest.Load(c.ManifestPath) : null;
        return new Step($"{probe}/image", "keep the built kernel with the probe: the next build of the round overwrites the tree's", manifest?.Image.Sha256 ?? "",
            [$"cp {manifest?.Image.Path ?? Path.Combine(c.Kernel.BuildDir, "arch", c.Campaign.Kernel.Arch, "boot", "Image")} {kept}"],
            ct =>
            {
                var image = Kernel.BuildManifest.Load(c.ManifestPath).Image.Path;
                Directory.CreateDirectory(Path.GetDirectoryName(kept)!);
                File.Copy(image, kept + ".new", overwrite: true);
                File.Move(kept + ".new", kept, overwrite: true);
                return Task.FromResult(StepResult.Ok(new Dictionary<string, string> { ["image"] = kept }));
            }) { AlwaysRun = true }; // a copy is cheap; a journal that says "kept" about a deleted file is not
    }

    public static string KeptImage(BuildContext c, string probe) => Path.Combine(StressPlan.ProbeDir(c, probe), "Image");

    private static Task Write(string dir, string name, ProbeOutcome outcome, CancellationToken ct) =>
        File.WriteAllTextAsync(Path.Combine(dir, name), JsonSerializer.Serialize(outcome, StressPlan.Json), ct);
}

/// <summary>One job of a round: the probe's kept kernel, its slot in the round (its artifact port), and whom to tell once it is queued.</summary>
public sealed record LavaRoundJob(string Image, int Slot, Action Queued);
