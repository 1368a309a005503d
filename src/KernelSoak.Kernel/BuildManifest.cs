using System.Security.Cryptography;
using System.Text.Json;

namespace KernelSoak.Kernel;

public sealed record ManifestFile(string Path, string RelativePath, long Size, string Sha256)
{
    public static ManifestFile Of(string path, string root)
    {
        using var stream = File.OpenRead(path);
        return new ManifestFile(path, System.IO.Path.GetRelativePath(root, path), stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }
}

/// <summary>What CompileKernel hands to InstallKernel: every artifact with its size and sha256.</summary>
public sealed record BuildManifest(
    string Release,
    string Arch,
    string Fingerprint,
    ManifestFile Image,
    ManifestFile SystemMap,
    ManifestFile Config,
    IReadOnlyList<ManifestFile> Dtbs,
    string ModulesDir,
    IReadOnlyList<ManifestFile> Modules,
    DateTimeOffset BuiltAt)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public void Save(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Json));
        File.Move(temp, path, overwrite: true);
    }

    public static BuildManifest Load(string path) =>
        JsonSerializer.Deserialize<BuildManifest>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is not a build manifest");
}
