namespace KernelSoak.Lava.Api;

/// <summary>
/// A LAVA API token: handed to the HTTP header and nowhere else. Its ToString is a mask, so a token that
/// slips into a message, a log line or a journal shows as "***" there.
/// </summary>
public sealed class LavaToken
{
    private readonly string _secret;

    public LavaToken(string secret)
    {
        secret = secret.Trim();
        if (secret.Length == 0 || secret.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            throw new ArgumentException("a LAVA token is one word of printable characters");
        _secret = secret;
        KernelSoak.Processes.LogMask.Hide(secret); // a message that carries it anyway shows *** in the run's log
    }

    /// <summary>Reads a token file (scripts/lava-local.sh writes one, mode 0600); refuses one others can read.</summary>
    public static LavaToken FromFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no LAVA token file at {path}");
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0)
            throw new UnauthorizedAccessException($"{path}: a token file must not be readable by group or others (chmod 600 {path})");
        return new LavaToken(File.ReadAllText(path));
    }

    /// <summary>The value of the Authorization header LAVA's REST API reads.</summary>
    internal string Header => $"Token {_secret}";

    /// <summary>Whether <paramref name="text"/> holds the secret: a check before text is logged.</summary>
    internal bool IsIn(string text) => text.Contains(_secret, StringComparison.Ordinal);

    internal string Mask(string text) => text.Replace(_secret, "***", StringComparison.Ordinal);

    public override string ToString() => "***";
}
