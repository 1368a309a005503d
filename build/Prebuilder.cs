using System.Diagnostics;
using System.Globalization;
using KernelSoak.Build.Plans;
using KernelSoak.Campaigns;
using KernelSoak.Journal;
using KernelSoak.Kernel;
using KernelSoak.Processes;

namespace KernelSoak.Build;

/// <summary>
/// series.pipeline: kernels built in the background while a probe boots and stresses, in a second worktree of the
/// campaign's tree with its own build directory (a direct child, as <see cref="KernelTree.BuildDirIn"/> needs), the same
/// .config, make variables and ccache. ccache ignores the tree's path, so when the foreground later builds the same
/// patch in its own directory every object the prebuild compiled is a hit. A prebuild is a cache warm-up and nothing
/// else: it never touches the campaign's tree, build directory, records or verdicts; it is niced, stopped by the next
/// foreground apply (what it compiled stays in ccache), by the run's end and by Ctrl+C, and journalled as notes
/// ("prebuild/&lt;id&gt;": prebuild started, then built / failed / stopped with its seconds), its make output in log/prebuild-&lt;id&gt;.log.
/// </summary>
public sealed class Prebuilder
{
    private CancellationTokenSource? _stop;
    private Task? _running;
    private string _what = "";
    private readonly Stopwatch _watch = new();

    public const string TreeSuffix = ".prebuild";

    /// <summary>The second tree: beside the campaign's worktree, its build directory inside it.</summary>
    public static KernelTree Tree(BuildContext c)
    {
        var source = c.Kernel.SourceDir + TreeSuffix;
        return c.Kernel with { SourceDir = source, BuildDir = KernelTree.BuildDirIn(source, c.Campaign.Id), Branch = c.Kernel.Branch + "-prebuild" };
    }

    public static string LogPath(BuildContext c, PatchRef patch) => Path.Combine(c.ArtifactsDir, "log", $"prebuild-{patch.Id}.log");

    /// <summary>The make command line a prebuild runs: the campaign's build, niced.</summary>
    public static CommandLine BuildCommand(BuildContext c)
    {
        var build = new KernelMake(c.Campaign.Kernel, Tree(c), Environment.ProcessorCount) { Distcc = c.Make.Distcc }.Build();
        return new CommandLine("nice", ["-n", "19", build.Program, .. build.Arguments]);
    }

    public bool Running => _running is { IsCompleted: false };

    /// <summary>Starts building <paramref name="patches"/> one after the other in the background; the caller goes on at once.</summary>
    public void Start(BuildContext c, IReadOnlyList<PatchRef> patches)
    {
        Stop(c, "a new prebuild replaces it");
        if (patches.Count == 0) return;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(c.Cancellation);
        _what = string.Join(", ", patches.Select(p => p.Id));
        _watch.Restart();
        var token = _stop.Token;
        _running = Task.Run(() => BuildAllAsync(c, patches, token), CancellationToken.None);
    }

    /// <summary>Stops a prebuild still running and waits for its processes to end; nothing when there is none.</summary>
    public void Stop(BuildContext c, string why)
    {
        if (_running is null) return;
        if (!_running.IsCompleted)
        {
            _stop!.Cancel();
            c.Output.Info($"prebuild of {_what} stopped after {_watch.Elapsed.TotalSeconds:0} s ({why}): what it compiled is in ccache");
        }
        try { _running.Wait(); }
        catch (AggregateException) { } // journalled by the prebuild itself; never the run's failure
        _stop!.Dispose();
        _stop = null;
        _running = null;
    }

    private static async Task BuildAllAsync(BuildContext c, IReadOnlyList<PatchRef> patches, CancellationToken ct)
    {
        foreach (var patch in patches)
        {
            var key = $"prebuild/{patch.Id}";
            var watch = Stopwatch.StartNew();
            var outputs = new Dictionary<string, string> { ["tree"] = Tree(c).SourceDir, ["log"] = LogPath(c, patch) };
            c.Journal.Note(key, NoteKind.PrebuildStarted, outputs);
            var outcome = NoteKind.PrebuildBuilt;
            try
            {
                await BuildOneAsync(c, patch, ct);
            }
            catch (Exception e) when (ct.IsCancellationRequested)
            {
                outcome = NoteKind.PrebuildStopped;
                outputs["error"] = e.GetType().Name;
            }
            catch (Exception e)
            {
                outcome = NoteKind.PrebuildFailed;
                outputs["error"] = e.Message.Split('\n')[0];
            }
            outputs["seconds"] = watch.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
            c.Journal.Note(key, outcome, outputs);
            if (outcome == NoteKind.PrebuildStopped) return; // the rest of the list is stopped with it
        }
    }

    /// <summary>The second tree at base + patches up to <paramref name="patch"/> (from the nearest commit the campaign applied), then make.</summary>
    private static async Task BuildOneAsync(BuildContext c, PatchRef patch, CancellationToken ct)
    {
        var tree = Tree(c);
        var patches = c.Campaign.Series.Patches;
        var index = patches.IndexOf(patch);
        var series = new PatchSeries(tree, c.Commands);
        await series.EnsureWorktreeAsync(ct);
        var (commit, from) = BisectPlan.NearestApplied(c, index);
        await series.ResetAsync(commit ?? await series.BaseAsync(ct), ct);
        var dir = c.CampaignPath(c.Campaign.Series.Dir);
        for (var i = from + 1; i <= index; i++) await series.ApplyAsync(PatchSeries.Resolve(dir, patches[i]), patches[i].Id, ct);
        CopyConfig(Path.Combine(c.Kernel.BuildDir, ".config"), Path.Combine(tree.BuildDir, ".config"));
        var log = LogPath(c, patch);
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        await using var writer = new StreamWriter(log, append: false);
        var gate = new Lock();
        var result = await c.Commands.RunAsync(BuildCommand(c), line => { lock (gate) writer.WriteLine(line); }, cancellation: ct);
        if (!result.Succeeded) throw new KernelBuildException($"prebuild of {patch.Id} failed (exit {result.ExitCode}); log {log}");
    }

    /// <summary>The campaign's .config, copied only when it differs (a new mtime alone would make Kbuild re-run syncconfig).</summary>
    private static void CopyConfig(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        if (!File.Exists(to) || !File.ReadAllBytes(from).AsSpan().SequenceEqual(File.ReadAllBytes(to))) File.Copy(from, to, overwrite: true);
    }
}
