using System.Diagnostics;

namespace KernelSoak.Board.Tests;

/// <summary>
/// A campaign of campaigns/ (qemu-bisect.toml unless told) made runnable from a temporary folder against the e2e
/// board (paths made absolute, its own id), and the build host run as a user runs it.
/// </summary>
public sealed class E2eCampaign : IDisposable
{
    /// <param name="edit">changes to the campaign text (another search mode, fewer patches …)</param>
    /// <param name="source">the campaign file in campaigns/</param>
    public E2eCampaign(string id, Func<string, string>? edit = null, string source = "qemu-bisect.toml")
    {
        Id = id;
        Artifacts = Directory.CreateTempSubdirectory("ks-e2e-").FullName;
        var root = BoardFixture.RepoRoot;
        var text = System.IO.File.ReadAllText(Path.Combine(root, "campaigns", source))
            .Replace($"id = \"{Path.GetFileNameWithoutExtension(source)}\"", $"id = \"{id}\"", StringComparison.Ordinal)
            .Replace("\"../targets/", $"\"{root}/targets/", StringComparison.Ordinal)
            .Replace("\"../tests/", $"\"{root}/tests/", StringComparison.Ordinal);
        File = Path.Combine(Artifacts, $"{id}.toml");
        System.IO.File.WriteAllText(File, edit is null ? text : edit(text));
    }

    /// <summary>
    /// Binary mode over 0001–0002 without a baseline probe: the lkdtm WARNING every kernel prints is
    /// suppressed by title (the plan's R9 noise rule) instead, to keep the e2e runs short.
    /// </summary>
    public static string BinaryOverTwoPatches(string text)
    {
        var cut = text.IndexOf("[[series.patches]]\nid = \"0003\"", StringComparison.Ordinal);
        var rest = text[text.IndexOf("[[stress]]", cut, StringComparison.Ordinal)..];
        return text[..cut].Replace("mode = \"sequential\"", "mode = \"binary\"", StringComparison.Ordinal)
                   .Replace("baseline = true", "baseline = false", StringComparison.Ordinal)
               + rest.Replace("[monitor]\n", "[monitor]\nsuppress = [\"^WARNING in lkdtm_WARNING_MESSAGE$\"]\n", StringComparison.Ordinal);
    }

    /// <summary>The verdict recorded for a patch (bisect/NNNN/verdict.json).</summary>
    public string Verdict(string patch)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(Dir, "bisect", patch, "verdict.json")));
        return doc.RootElement.GetProperty("verdict").GetString()!;
    }

    public string Id { get; }
    public string Artifacts { get; }
    public string File { get; }
    public string Dir => Path.Combine(Artifacts, Id);

    public (int Exit, string Output) Build(params string[] args) => BuildUntil(null, args);

    /// <summary>
    /// Runs the build host; with <paramref name="killAt"/>, SIGKILLs it (the whole process, no cleanup)
    /// as soon as a line contains that text: the host dying at a chosen point.
    /// </summary>
    public (int Exit, string Output) BuildUntil(string? killAt, params string[] args) => BuildUntil(killAt, TimeSpan.Zero, args);

    public (int Exit, string Output) BuildUntil(string? killAt, TimeSpan after, params string[] args)
    {
        if (killAt is null) return BuildWhen(null, () => { }, args);
        Process? host = null;
        return BuildWhen(killAt, () => _ = Task.Delay(after).ContinueWith(_ =>
            {
                TestContext.Progress.WriteLine($"== SIGKILL {after.TotalSeconds:0} s after '{killAt}'");
                try { host!.Kill(); } catch (InvalidOperationException) { }
            }, TaskScheduler.Default), args, started: p => host = p);
    }

    /// <summary>Runs the build host and does <paramref name="action"/> once, as soon as a line contains <paramref name="at"/> (a fault injected at a chosen point).</summary>
    public (int Exit, string Output) BuildWhen(string? at, Action action, string[] args, Action<Process>? started = null)
    {
        var fired = 0;
        var host = Path.Combine(TestContext.CurrentContext.TestDirectory, "KernelSoak.Build.dll");
        var psi = new ProcessStartInfo("dotnet", [host, .. args, $"--campaign={File}", $"--board-directory={BoardFixture.Board.Files.Directory}",
            $"--board-port={BoardFixture.Board.Files.SshPort}", $"--paths-artifacts={Artifacts}"])
        { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = BoardFixture.RepoRoot };
        psi.Environment["KERNELSOAK_ROOT"] = BoardFixture.RepoRoot;
        psi.Environment["NO_COLOR"] = "1";
        using var p = new Process { StartInfo = psi };
        var output = new System.Text.StringBuilder();
        void Line(string? line)
        {
            if (line is null) return;
            lock (output) output.AppendLine(line);
            TestContext.Progress.WriteLine(line);
            if (at is not null && line.Contains(at, StringComparison.Ordinal) && Interlocked.Exchange(ref fired, 1) == 0) action();
        }
        p.Start();
        started?.Invoke(p);
        p.OutputDataReceived += (_, e) => Line(e.Data);
        p.ErrorDataReceived += (_, e) => Line(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        Assert.That(p.WaitForExit(TimeSpan.FromMinutes(25)), Is.True, "the build host finished");
        p.WaitForExit();
        return (p.ExitCode, output.ToString());
    }

    /// <summary>
    /// Fails when this campaign's runs so far (or from line <paramref name="fromLine"/> of run.log) started a command
    /// that <paramref name="dryRunOutput"/> did not announce: a dry run printed before them must say everything a run does.
    /// </summary>
    public void AssertAnnounced(string dryRunOutput, int fromLine = 0, string why = "")
    {
        var run = KernelSoak.Steps.AnnouncedCommands.FromRunLog(System.IO.File.ReadLines(RunLog).Skip(fromLine));
        Assert.That(run, Has.Count.GreaterThan(10), "run.log holds the run's commands");
        var unannounced = KernelSoak.Steps.AnnouncedCommands.Unannounced(run, KernelSoak.Steps.AnnouncedCommands.FromDryRun(dryRunOutput.Split('\n')));
        Assert.That(unannounced, Is.Empty, $"commands in run.log that the dry run did not print{why}:\n" + string.Join("\n", unannounced));
    }

    /// <summary>Runs <paramref name="args"/> as a dry run first, then for real; fails when the run started a command the dry run did not print.</summary>
    public (int Exit, string Output) BuildAsAnnounced(params string[] args)
    {
        var dryRun = Build([.. args, "--dryrun"]).Output;
        var before = System.IO.File.Exists(RunLog) ? System.IO.File.ReadLines(RunLog).Count() : 0; // this run's lines only
        var run = Build(args);
        AssertAnnounced(dryRun, before);
        return run;
    }

    private string RunLog => Path.Combine(Dir, "log", "run.log");

    public void Dispose() => Directory.Delete(Artifacts, recursive: true);
}
