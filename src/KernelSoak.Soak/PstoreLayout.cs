namespace KernelSoak.Soak;

/// <summary>
/// Where a harvested pstore record lands on the host and when its board copy may go: the decisions of
/// <see cref="Harvester"/>, kept apart so they are tested without a board.
/// </summary>
public static class PstoreLayout
{
    /// <summary>
    /// The record's board path under the harvest's pstore directory: /var/lib/systemd/pstore/&lt;id&gt;/dmesg.txt
    /// becomes pstore/var/lib/systemd/pstore/&lt;id&gt;/dmesg.txt, so two crashes' dmesg.txt stay two files.
    /// </summary>
    public static string LocalPath(string directory, string root, string remote)
    {
        var prefix = root.TrimEnd('/') + "/";
        if (!remote.StartsWith(prefix, StringComparison.Ordinal))
            throw new InvalidDataException($"pstore record '{remote}' is not under {prefix}: the board's listing is not what find prints");
        var parts = remote[prefix.Length..].Split('/');
        if (parts.Any(p => p is "" or "." or ".."))
            throw new InvalidDataException($"pstore record '{remote}' has an empty, '.' or '..' part: refusing to place it on the host");
        return Path.Combine([directory, "pstore", .. prefix.Split('/', StringSplitOptions.RemoveEmptyEntries), .. parts]);
    }

    /// <summary>Erase on the board only when the host copy's sha256 is the board's (a failed or garbled sha256sum never matches).</summary>
    public static bool MayErase(string hostSha256, string boardSha256) =>
        boardSha256.Length == 64 && boardSha256.All(char.IsAsciiHexDigit)
        && string.Equals(hostSha256, boardSha256, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// <paramref name="wanted"/> when it is free or already holds the same bytes, else name.1.ext, name.2.ext…:
    /// an existing file is never replaced (a record erased on the board may exist nowhere else).
    /// </summary>
    public static string FreeName(string wanted, Func<string, bool> holdsTheSame, Func<string, bool> exists)
    {
        var dir = Path.GetDirectoryName(wanted) ?? "";
        var stem = Path.GetFileNameWithoutExtension(wanted);
        var extension = Path.GetExtension(wanted);
        for (var n = 0; ; n++)
        {
            var candidate = n == 0 ? wanted : Path.Combine(dir, $"{stem}.{n}{extension}");
            if (!exists(candidate) || holdsTheSame(candidate)) return candidate;
        }
    }
}
