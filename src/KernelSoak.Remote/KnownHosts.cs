using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace KernelSoak.Remote;

/// <summary>A known_hosts line that cannot be read: which file, which line, and what is wrong with it.</summary>
public sealed class KnownHostsException(string path, int line, string problem)
    : Exception($"{path} line {line}: {problem}. Fix or delete that line (ssh-keygen -R <host> -f {path} removes a host's lines)")
{
    public string File { get; } = path;
    public int Line { get; } = line;
}

/// <summary>
/// An OpenSSH known_hosts file: plain, wildcard (* ?), negated (!) and hashed (|1|salt|hash) host patterns,
/// and @revoked lines — a revoked key is refused even where another line lists it, as OpenSSH does.
/// @cert-authority lines (host certificates) are not used here and are passed over.
/// </summary>
public static class KnownHosts
{
    public sealed record Entry(string KeyType, string KeyBase64, int Line);

    /// <summary>The keys listed for a host, and the keys revoked for it.</summary>
    public sealed record Lookup(IReadOnlyList<Entry> Known, IReadOnlyList<Entry> Revoked);

    public static Lookup Find(string path, string hostName)
    {
        if (!File.Exists(path)) return new([], []);
        var known = new List<Entry>();
        var revoked = new List<Entry>();
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var parts = raw.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0 || parts[0].StartsWith('#')) continue;
            var marker = parts[0].StartsWith('@') ? parts[0] : null;
            if (marker is not null) parts = parts[1..];
            switch (marker)
            {
                case "@cert-authority": continue;
                case null or "@revoked": break;
                default: throw new KnownHostsException(path, number, $"unknown marker '{marker}' (OpenSSH knows @revoked and @cert-authority)");
            }
            if (parts.Length < 3)
            {
                // OpenSSH passes over a short line; a revocation that cannot be read must not be passed over.
                if (marker is not null) throw new KnownHostsException(path, number, $"{marker} needs host patterns, a key type and a key");
                continue;
            }
            if (!HostMatches(parts[0], hostName, path, number)) continue;
            if (!IsBase64(parts[2])) throw new KnownHostsException(path, number, $"the {parts[1]} key is not base64");
            (marker is null ? known : revoked).Add(new Entry(parts[1], parts[2], number));
        }
        return new Lookup(known, revoked);
    }

    public static void Append(string path, string hostName, string keyType, byte[] keyBlob)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.AppendAllText(path, $"{hostName} {keyType} {Convert.ToBase64String(keyBlob)}\n");
    }

    /// <summary>OpenSSH's fingerprint: "SHA256:" + unpadded base64 of the key blob's SHA-256.</summary>
    public static string Fingerprint(byte[] keyBlob) => "SHA256:" + Convert.ToBase64String(SHA256.HashData(keyBlob)).TrimEnd('=');

    /// <summary>OpenSSH's match_hostname: a negated pattern that matches wins; else any pattern that matches.</summary>
    private static bool HostMatches(string patterns, string hostName, string path, int line)
    {
        var matched = false;
        foreach (var pattern in patterns.Split(','))
        {
            var negated = pattern.StartsWith('!');
            var body = negated ? pattern[1..] : pattern;
            if (!Matches(body, hostName, path, line)) continue;
            if (negated) return false;
            matched = true;
        }
        return matched;
    }

    private static bool Matches(string pattern, string hostName, string path, int line)
    {
        if (pattern.StartsWith('|')) return HashedMatches(pattern, hostName, path, line);
        if (!pattern.Contains('*') && !pattern.Contains('?')) return string.Equals(pattern, hostName, StringComparison.OrdinalIgnoreCase);
        var glob = "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
        return Regex.IsMatch(hostName, glob, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    private static bool HashedMatches(string pattern, string hostName, string path, int line)
    {
        var fields = pattern.Split('|');
        if (fields.Length != 4 || fields[0].Length != 0 || fields[1] != "1" || !IsBase64(fields[2]) || !IsBase64(fields[3]))
            throw new KnownHostsException(path, line, $"hashed host name '{pattern}' is malformed (expected |1|<base64 salt>|<base64 HMAC-SHA1 of the name>)");
        using var hmac = new HMACSHA1(Convert.FromBase64String(fields[2]));
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.ASCII.GetBytes(hostName))) == fields[3];
    }

    private static bool IsBase64(string text) => text.Length > 0 && Convert.TryFromBase64String(text, new byte[text.Length], out _);
}
