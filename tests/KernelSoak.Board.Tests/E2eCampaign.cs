using System.Diagnostics;

namespace KernelSoak.Board.Tests;

/// <summary>
/// campaigns/qemu-bisect.toml made runnable from a temporary folder against the e2e board (paths made
/// absolute, its own id), and the build host run as a user runs it.
/// </summary>
public sealed class E2eCampaign : IDisposable
{
    /// <param name="edit">changes to the campaign text (another search mode, fewer patches …)</param>
    public E2eCampaign(string id, Func<string, string>? edit = null)
    {
        Id = id;
        Artifacts = Directory.CreateTempSubdirectory("ks-e2e-").FullName;
        var root = BoardFixture.RepoRoot;
        var text = System.IO.File.ReadAllText(Path.Combine(root, "campaigns", "qemu-bisect.toml"))
            .Replace("id = \"qemu-bisect\"", $"id = \"{id}\"", StringComparison.Ordinal)
            .Replace("\"../targets/", $"\"{root}/targets/", StringComparison.Ordinal)
            .Replace("\"../tests/patches\"", $"\"{root}/tests/patches\"", StringComparison.Ordinal);
        File = Path.Combine(Artifacts, $"{id}.toml");
        System.IO.File.WriteAllText(File, edit is null ? text : edit(text));
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
    public (int Exit, string Output) BuildUntil(string? killAt, params string[] args)
    {
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
            if (killAt is not null && line.Contains(killAt, StringComparison.Ordinal))
            {
                TestContext.Progress.WriteLine($"== SIGKILL at '{killAt}'");
                try { p.Kill(); } catch (InvalidOperationException) { }
            }
        }
        p.Start();
        p.OutputDataReceived += (_, e) => Line(e.Data);
        p.ErrorDataReceived += (_, e) => Line(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        Assert.That(p.WaitForExit(TimeSpan.FromMinutes(25)), Is.True, "the build host finished");
        p.WaitForExit();
        return (p.ExitCode, output.ToString());
    }

    public void Dispose() => Directory.Delete(Artifacts, recursive: true);
}
