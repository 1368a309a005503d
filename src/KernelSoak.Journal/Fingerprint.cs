using System.Security.Cryptography;
using System.Text;

namespace KernelSoak.Journal;

/// <summary>A stable hash of a step's inputs: same inputs, same fingerprint, step skipped.</summary>
public static class Fingerprint
{
    public static string Of(params string[] parts)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in parts)
        {
            // Length-prefix each part so ("ab","c") and ("a","bc") differ.
            var bytes = Encoding.UTF8.GetBytes(part);
            sha.AppendData(BitConverter.GetBytes(bytes.Length));
            sha.AppendData(bytes);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..32];
    }

    public static string OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
