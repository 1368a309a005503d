namespace KernelSoak.Reports;

/// <summary>What is wrong with a --log path before it is read, in the words a user needs.</summary>
public static class LogPath
{
    /// <returns>null when the path is a readable file; otherwise the message.</returns>
    public static string? Problem(string path) =>
        File.Exists(path) ? null
        : Directory.Exists(path) ? $"--log={path} is a directory: give one log file (a dmesg, console capture, journalctl or pstore file)"
        : $"--log={path}: no such file";
}
