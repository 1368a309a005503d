namespace KernelSoak.Journal;

/// <summary>
/// Files only their owner may read (0600): the journal, leases and logs hold command lines, board addresses
/// and, before masking existed, power-switch passwords. Windows has no Unix modes (its ACLs apply).
/// </summary>
public static class PrivateFile
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Options that create the file 0600 (an existing file keeps its mode: see <see cref="Restrict"/>).</summary>
    public static FileStreamOptions Options(FileMode mode, FileAccess access, FileShare share, int bufferSize = 4096)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        return options;
    }

    /// <summary>Makes an existing file 0600 (one an older version created world-readable).</summary>
    public static void Restrict(string path)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, OwnerOnly);
    }
}
