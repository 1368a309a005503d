using KernelSoak.Processes;

namespace KernelSoak.Soak;

/// <summary>The board commands of a harvest: what <see cref="Harvester"/> runs and what --dryrun prints, from one place.</summary>
public static class HarvestCommands
{
    public static string List(string root) => $"if [ -d {CommandLine.Quote(root)} ]; then find {CommandLine.Quote(root)} -type f -print0; fi";

    /// <param name="record">a record's path, shell-quoted (or a dry run's placeholder)</param>
    public static string Copy(string record) => $"cat -- {record}";

    public static string Hash(string record) => $"sha256sum -- {record}";

    public static string Erase(string record) => $"rm -f -- {record}";

    /// <summary>
    /// A harvest into <paramref name="directory"/> as the dry run shows it: each board command through
    /// <paramref name="ssh"/> (the line a user would type), with where its output goes.
    /// </summary>
    public static IEnumerable<string> Announced(HarvestSources sources, string directory, Func<string, string> ssh)
    {
        foreach (var root in sources.PstoreRoots)
        {
            var record = $"<each record under {root}>";
            yield return ssh(List(root));
            yield return $"{ssh(Copy(record))} > {directory}/pstore{root}/<record> (never over an existing file)";
            yield return ssh(Hash(record));
            yield return $"{ssh(Erase(record))}   # once the host copy's sha256 equals the board's";
        }
        foreach (var (command, name) in sources.Commands)
            yield return $"{ssh(command)} > {Path.Combine(directory, name)}";
    }
}
