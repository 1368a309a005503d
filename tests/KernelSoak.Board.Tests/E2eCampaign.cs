using System.Diagnostics;

namespace KernelSoak.Board.Tests;

/// <summary>
/// campaigns/qemu-bisect.toml made runnable from a temporary folder against the e2e board (paths made
/// absolute, its own id), and the build host run as a user runs it.
/// </summary>
public sealed class E2eCampaign : IDisposable
{
    public E2eCampaign(string id)
    {
        Id = id;
        Artifacts = Directory.CreateTempSubdirectory("ks-e2e-").FullName;
        var root = BoardFixture.RepoRoot;
        var text = System.IO.File.ReadAllText(Path.Combine(root, "campaigns", "qemu-bisect.toml"))
            .Replace("id = \"qemu-bisect\"", $"id = \"{id}\"", StringComparison.Ordinal)
            .Replace("\"../targets/", $"\"{root}/targets/", StringComparison.Ordinal)
            .Replace("\"../tests/patches\"", $"\"{root}/tests/patches\"", StringComparison.Ordinal);
        File = Path.Combine(Artifacts, $"{id}.toml");
        System.IO.File.WriteAllText(File, text);
    }

    public string Id { get; }
    public string Artifacts { get; }
    public string File { get; }
    public string Dir => Path.Combine(Artifacts, Id);

    public (int Exit, string Output) Build(params string[] args)
    {
        var host = Path.Combine(TestContext.CurrentContext.TestDirectory, "KernelSoak.Build.dll");
        var psi = new ProcessStartInfo("dotnet", [host, .. args, $"--campaign={File}", $"--board-directory={BoardFixture.Board.Files.Directory}",
            $"--board-port={BoardFixture.Board.Files.SshPort}", $"--paths-artifacts={Artifacts}"])
        { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = BoardFixture.RepoRoot };
        psi.Environment["KERNELSOAK_ROOT"] = BoardFixture.RepoRoot;
        psi.Environment["NO_COLOR"] = "1";
        using var p = Process.Start(psi)!;
        var output = new System.Text.StringBuilder();
        void Line(string? line)
        {
            if (line is null) return;
            lock (output) output.AppendLine(line);
            TestContext.Progress.WriteLine(line);
        }
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
