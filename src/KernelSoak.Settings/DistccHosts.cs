using System.Globalization;
using System.Text.RegularExpressions;

namespace KernelSoak.Settings;

/// <summary>
/// The build hosts distcc spreads compiles over ([Build] Distcc, or DISTCC_HOSTS): distcc's own host list,
/// checked where it enters (it becomes an environment word of every make) and kept in distcc's syntax.
/// One entry: <c>HOST[:PORT][/LIMIT][,OPTION…]</c> (TCP to a distccd), <c>localhost[/LIMIT]</c> (compile here), or
/// <c>@HOST[/LIMIT][,OPTION…]</c> (over ssh), the options distcc knows (lzo, cpp, auth); entries separated by whitespace,
/// as distcc reads them (a comma starts an entry's options).
/// </summary>
public sealed partial record DistccHosts
{
    /// <summary>One distcc host and how many compiles it takes at once (distcc's defaults: 4 for a remote host, 2 for localhost).</summary>
    public sealed record Host(string Name, int? Port, int Limit, bool Ssh, IReadOnlyList<string> Options)
    {
        public bool IsLocal => Name == "localhost" && !Ssh;
        public override string ToString() =>
            $"{(Ssh ? "@" : "")}{Name}{(Port is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : "")}/{Limit.ToString(CultureInfo.InvariantCulture)}" +
            string.Concat(Options.Select(o => "," + o));
    }

    public IReadOnlyList<Host> Hosts { get; }

    private DistccHosts(IReadOnlyList<Host> hosts) => Hosts = hosts;

    /// <summary>No distcc: the build runs on this host alone.</summary>
    public static DistccHosts None { get; } = new([]);

    public bool Enabled => Hosts.Count > 0;

    /// <summary>Compiles distcc can run at once over all hosts: make's -j.</summary>
    public int Slots => Hosts.Sum(h => h.Limit);

    /// <summary>The value of DISTCC_HOSTS (every limit written out).</summary>
    public override string ToString() => string.Join(' ', Hosts);

    [GeneratedRegex(@"^(?<ssh>@)?(?<name>[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::(?<port>[0-9]{1,5}))?(?:/(?<limit>[0-9]{1,3}))?(?<options>(?:,(?:lzo|cpp|auth(?:=[A-Za-z0-9@._/-]+)?))*)$")]
    private static partial Regex Entry();

    /// <summary>Parses distcc's list; an entry it cannot take (a shell character, a bad port or limit, an option distcc does not know, zeroconf) is refused.</summary>
    public static DistccHosts Parse(string text, string where = "[Build] Distcc")
    {
        var hosts = new List<Host>();
        foreach (var word in text.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            var m = Entry().Match(word);
            if (!m.Success)
                throw new SettingsException($"{where}: '{word}' is not a distcc host this tool takes (HOST[:PORT][/LIMIT][,lzo][,cpp], localhost[/LIMIT] or @HOST[/LIMIT])");
            var ssh = m.Groups["ssh"].Success;
            var name = m.Groups["name"].Value;
            int? port = null;
            if (m.Groups["port"].Success)
            {
                var p = int.Parse(m.Groups["port"].Value, CultureInfo.InvariantCulture);
                if (p is < 1 or > 65535 || ssh) throw new SettingsException($"{where}: '{word}': the port must be 1–65535 and only for a TCP host");
                port = p;
            }
            var limit = m.Groups["limit"].Success ? int.Parse(m.Groups["limit"].Value, CultureInfo.InvariantCulture) : name == "localhost" && !ssh ? 2 : 4;
            if (limit is < 1 or > 256) throw new SettingsException($"{where}: '{word}': the limit must be 1–256 compiles");
            hosts.Add(new Host(name, port, limit, ssh, m.Groups["options"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries)));
        }
        return hosts.Count == 0 ? None : new DistccHosts(hosts);
    }
}
