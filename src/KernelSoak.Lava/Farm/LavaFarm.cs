using System.Net;
using KernelSoak.Lava.Api;
using KernelSoak.Lava.Jobs;
using KernelSoak.Lava.Serving;
using KernelSoak.Settings;
using KernelSoak.Soak;

namespace KernelSoak.Lava.Farm;

/// <summary>What one probe asks of LAVA: the kernel built for it, the campaign's command line and stress, and how to judge the log.</summary>
public sealed record LavaProbeRequest(
    string Step,
    string Fingerprint,
    string JobName,
    string Arch,
    string Image,
    IReadOnlyList<string> AppendExtra,
    IReadOnlyList<StressCommand> Stress,
    IReadOnlyList<string> Suppress,
    IReadOnlySet<string> PreExisting);

/// <summary>[Lava] settings made into the pieces of a probe: the token, the API client, the artifact server, the job.</summary>
public static class LavaFarm
{
    /// <summary>Token or TokenFile, exactly one; read here, when it is needed, and masked from then on (<see cref="LavaToken"/>).</summary>
    public static LavaToken Token(LavaSettings s)
    {
        if (s.Token.Length > 0 && s.TokenFile.Length > 0) throw new SettingsException("[Lava] Token and TokenFile are both set: keep one");
        if (s.Token.Length > 0) return new LavaToken(s.Token);
        if (s.TokenFile.Length == 0) throw new SettingsException("[Lava] has no token: set TokenFile (a file of mode 0600) or LAVA_TOKEN in the environment");
        try
        {
            return LavaToken.FromFile(s.TokenFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new SettingsException($"[Lava] TokenFile: {e.Message}");
        }
    }

    /// <summary>The server's base URL, ending in "/" so api/v0.2/ is found under a path (http://host/lava/).</summary>
    public static Uri Server(LavaSettings s) =>
        s.Server.Length == 0 ? throw new SettingsException("[Lava] Server is not set: the LAVA server's URL, e.g. http://127.0.0.1:8000/")
            : new Uri(s.Server.EndsWith('/') ? s.Server : s.Server + "/");

    public static LavaClient Client(LavaSettings s, HttpMessageHandler? handler = null) => new(Server(s), Token(s), handler);

    public static ArtifactServer Artifacts(LavaSettings s, int port) =>
        new(IPAddress.Parse(s.ArtifactBind), port, s.ArtifactHost.Length > 0 ? s.ArtifactHost : null);

    public static LavaWaits Waits(LavaSettings s) => new(TimeSpan.FromMinutes(s.QueueMinutes), TimeSpan.FromSeconds(s.PollSeconds));

    public static JobTimeouts Timeouts(LavaSettings s) =>
        new(TimeSpan.FromMinutes(s.DeployMinutes), TimeSpan.FromMinutes(s.BootMinutes), TimeSpan.FromMinutes(s.StressMarginMinutes));

    /// <summary>The guest LAVA's qemu device type starts: the job template knows arm64's virt machine only.</summary>
    public static QemuMachine Machine(LavaSettings s, string arch) => arch == "arm64"
        ? QemuMachine.Arm64Virt(s.MemoryMiB, s.Cpus)
        : throw new ArgumentException($"kernel.arch {arch}: the LAVA job template boots arm64 (QEMU virt) only");

    /// <summary>The probe's job; every value that reaches the dispatcher or the board's shell is checked by <see cref="LavaJob.Create"/>.</summary>
    public static LavaJob Job(LavaSettings s, LavaProbeRequest request, JobImages images) => LavaJob.Create(
        request.JobName, s.DeviceType, Machine(s, request.Arch), images,
        [.. s.KernelArguments.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), .. request.AppendExtra],
        s.Prompt, request.Stress.Select(StressStep.From), Timeouts(s), s.Priority);

    /// <summary>
    /// What of [Lava] makes a probe's job another job (its step's inputs): not the token, the waits or where the
    /// artifacts are served, so a restarted host with a new token still reattaches to the job it submitted.
    /// </summary>
    public static string Inputs(LavaSettings s) => KernelSoak.Journal.Fingerprint.Of(
        s.Server, s.DeviceType, s.KernelArguments, s.Prompt, s.MemoryMiB.ToString(System.Globalization.CultureInfo.InvariantCulture),
        s.Cpus.ToString(System.Globalization.CultureInfo.InvariantCulture), s.RootDisk,
        File.Exists(s.RootDisk) ? $"{new FileInfo(s.RootDisk).Length}@{File.GetLastWriteTimeUtc(s.RootDisk):O}" : "",
        $"{s.DeployMinutes}/{s.BootMinutes}/{s.StressMarginMinutes}");

    /// <summary>The kernel, and the root disk when [Lava] names one, published for the dispatcher.</summary>
    public static JobImages Publish(LavaSettings s, ArtifactServer server, string image) =>
        new(server.Publish("Image", image), RootDisk: s.RootDisk.Length > 0 ? server.Publish("rootfs.img", s.RootDisk) : null);
}
