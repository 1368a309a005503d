namespace KernelSoak.Kernel;

/// <summary>
/// An out-of-tree module directory (a Kbuild makefile and its sources) built against the campaign's kernel
/// with M=. It is built from a copy under the build directory, so the user's directory gets no objects,
/// and the copy keeps the timestamps of unchanged files, so Kbuild rebuilds only what changed.
/// </summary>
public sealed record ExternalModule(string SourceDir, string BuildDir)
{
    public string Name => NameOf(SourceDir);

    public static ExternalModule For(string sourceDir, KernelTree tree) => new(sourceDir, Path.Combine(tree.BuildDir, "external", NameOf(sourceDir)));

    private static string NameOf(string directory) => Path.GetFileName(Path.TrimEndingDirectorySeparator(directory));

    /// <summary>Names and contents of every source file: a change anywhere means a rebuild.</summary>
    public string Fingerprint()
    {
        if (!Directory.Exists(SourceDir)) throw new KernelBuildException($"external module directory {SourceDir} does not exist (kernel.external_modules in the campaign)");
        return Journal.Fingerprint.Of([.. SourceFiles().SelectMany(f => new[] { f, Journal.Fingerprint.OfFile(Path.Combine(SourceDir, f)) })]);
    }

    /// <summary>Brings the build copy in line with the source: changed files rewritten, removed ones deleted.</summary>
    public void SyncCopy()
    {
        var wanted = SourceFiles().ToHashSet(StringComparer.Ordinal);
        foreach (var file in wanted)
        {
            var from = Path.Combine(SourceDir, file);
            var to = Path.Combine(BuildDir, file);
            if (File.Exists(to) && File.ReadAllBytes(to).AsSpan().SequenceEqual(File.ReadAllBytes(from))) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to, overwrite: true);
        }
        if (!Directory.Exists(BuildDir)) return;
        foreach (var stale in Directory.EnumerateFiles(BuildDir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(BuildDir, f))
                     .Where(f => IsSource(f) && !wanted.Contains(f)).ToList())
            File.Delete(Path.Combine(BuildDir, stale));
    }

    private IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(SourceDir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(SourceDir, f))
            .Where(IsSource).Order(StringComparer.Ordinal);

    // What Kbuild reads; its own outputs (.o, .ko, .cmd, .mod …) in a user's directory are not sources.
    private static bool IsSource(string relative)
    {
        var name = Path.GetFileName(relative);
        return name is "Makefile" or "Kbuild" or "Kconfig" || Path.GetExtension(name) is ".c" or ".h" or ".S";
    }
}
