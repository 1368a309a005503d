using System.Text.RegularExpressions;

namespace KernelSoak.Processes;

/// <summary>
/// Masks what looks like a credential in a line bound for a log: the password of -u/--user user:password
/// (curl, wget), password=/passwd=/token=/api_key= values, --password/--token arguments, an Authorization
/// header's credentials and a URL's user:password@. A relay or PDU command line is logged word for word
/// otherwise, to the console and to run.log.
/// </summary>
public static partial class LogMask
{
    public const string Masked = "***";

    // -u admin:Secret, -uadmin:Secret, --user=admin:Secret, -u 'admin:Secret' → the user stays, the password goes.
    // A quoted value is masked up to its closing quote (it may hold spaces).
    [GeneratedRegex("""(?<keep>(?:^|[\s'"])(?:-u\s*|--user[\s=]+)(?<q>['"])?[^\s:'"]*:)(?<value>(?(q)[^'"]*|[^\s'"]+))""")]
    private static partial Regex UserPassword();

    [GeneratedRegex("""(?<keep>\b(?:password|passwd|token|access_token|api_key|apikey|secret)=)(?<value>[^\s&'";]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex KeyValue();

    [GeneratedRegex("""(?<keep>(?:^|\s)--(?:[a-z0-9]+-)*(?:password|passwd|token|api-key)[\s=]+(?<q>['"])?)(?<value>(?(q)[^'"]*|[^\s'"]+))""", RegexOptions.IgnoreCase)]
    private static partial Regex Option();

    [GeneratedRegex("""(?<keep>\bAuthorization:\s*(?:(?:Basic|Bearer|Token|Digest)\s+)?)(?<value>[^'"\r\n]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex AuthorizationHeader();

    [GeneratedRegex("""(?<keep>\b[a-z][a-z0-9+.-]*://[^/\s:@'"]+:)(?<value>[^@\s/'"]+)@""", RegexOptions.IgnoreCase)]
    private static partial Regex UrlCredentials();

    // Credentials this process has read (a LAVA token from its file): masked wherever they show, whatever surrounds them.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> Known = new(StringComparer.Ordinal);

    /// <summary>From now on every line this class redacts has <paramref name="secret"/> masked.</summary>
    public static void Hide(string secret)
    {
        if (secret.Length >= 4) Known.TryAdd(secret, 0); // shorter would mask ordinary words
    }

    public static string Redact(string line)
    {
        if (line.Length == 0) return line;
        foreach (var secret in Known.Keys) line = line.Replace(secret, Masked, StringComparison.Ordinal);
        line = UserPassword().Replace(line, Mask);
        line = KeyValue().Replace(line, Mask);
        line = Option().Replace(line, Mask);
        line = AuthorizationHeader().Replace(line, Mask);
        return UrlCredentials().Replace(line, m => Mask(m) + "@");
    }

    /// <summary>The value masked, unless it is a {secret:NAME} reference: that name is what logs are meant to show.</summary>
    private static string Mask(Match match) =>
        match.Groups["value"].Value.StartsWith("{secret:", StringComparison.Ordinal)
            ? match.Value.TrimEnd('@')
            : match.Groups["keep"].Value + Masked;
}
