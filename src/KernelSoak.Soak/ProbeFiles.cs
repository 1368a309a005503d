using System.Text.Json;

namespace KernelSoak.Soak;

/// <summary>
/// A probe's directory as the next steps read it: probe.json (the window's outcome, or the no-boot) and
/// verdict.json (the final verdict after harvest), in the snake_case JSON every earlier run wrote.
/// </summary>
public sealed class ProbeFiles(string directory)
{
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public string Directory { get; } = directory;
    public string WindowPath => Path.Combine(Directory, "probe.json");
    public string VerdictPath => Path.Combine(Directory, "verdict.json");

    public ProbeOutcome? Window() => Read(WindowPath);
    public ProbeOutcome? Verdict() => Read(VerdictPath);

    public Task WriteWindowAsync(ProbeOutcome outcome, CancellationToken ct) => WriteAsync(WindowPath, outcome, ct);
    public Task WriteVerdictAsync(ProbeOutcome outcome, CancellationToken ct) => WriteAsync(VerdictPath, outcome, ct);

    /// <summary>The outputs of the step that wrote probe.json.</summary>
    public Dictionary<string, string> WindowOutputs(string verdict) => new() { ["verdict"] = verdict, ["probe"] = WindowPath };

    /// <summary>The outputs of the step that wrote verdict.json.</summary>
    public Dictionary<string, string> VerdictOutputs(string verdict) => new() { ["verdict"] = verdict, ["dir"] = Directory };

    private static ProbeOutcome? Read(string path) => File.Exists(path) ? JsonSerializer.Deserialize<ProbeOutcome>(File.ReadAllText(path), Json) : null;

    private async Task WriteAsync(string path, ProbeOutcome outcome, CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(Directory);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(outcome, Json), ct);
    }
}
