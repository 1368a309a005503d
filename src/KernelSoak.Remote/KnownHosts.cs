using System.Security.Cryptography;
using System.Text;

namespace KernelSoak.Remote;

/// <summary>An OpenSSH known_hosts file: plain and hashed (|1|salt|hash) host names.</summary>
public static class KnownHosts
{
    public sealed record Entry(string KeyType, string KeyBase64);

    public static IReadOnlyList<Entry> Find(string path, string hostName)
    {
        if (!File.Exists(path)) return [];
        var found = new List<Entry>();
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#' || line[0] == '@') continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3) continue;
            if (parts[0].Split(',').Any(pattern => Matches(pattern, hostName)))
                found.Add(new Entry(parts[1], parts[2]));
        }
        return found;
    }

    public static void Append(string path, string hostName, string keyType, byte[] keyBlob)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.AppendAllText(path, $"{hostName} {keyType} {Convert.ToBase64String(keyBlob)}\n");
    }

    /// <summary>OpenSSH's fingerprint: "SHA256:" + unpadded base64 of the key blob's SHA-256.</summary>
    public static string Fingerprint(byte[] keyBlob) => "SHA256:" + Convert.ToBase64String(SHA256.HashData(keyBlob)).TrimEnd('=');

    private static bool Matches(string pattern, string hostName)
    {
        if (!pattern.StartsWith("|1|", StringComparison.Ordinal)) return pattern == hostName;
        var fields = pattern.Split('|');
        if (fields.Length != 4) return false;
        using var hmac = new HMACSHA1(Convert.FromBase64String(fields[2]));
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.ASCII.GetBytes(hostName))) == fields[3];
    }
}
