using System.Text.RegularExpressions;

namespace KernelSoak.Deploy;

/// <summary>A kernel release string that cannot name its own files on the board, with where it came from.</summary>
public sealed class InvalidReleaseException(string message) : ArgumentException(message);

/// <summary>
/// What a kernel release (<c>uname -r</c>) may be before it becomes a path on the board: it names
/// /lib/modules/&lt;release&gt; and the boot files, which are deleted by release on uninstall. An empty
/// release made that <c>/lib/modules/</c> — every kernel's modules; "../firmware" made it lib/firmware.
/// </summary>
public static partial class KernelRelease
{
    /// <summary>The kernel's UTS release field holds 64 characters (__NEW_UTS_LEN).</summary>
    public const int MaxLength = 64;

    /// <summary>Returns <paramref name="release"/> when usable; else throws naming <paramref name="setting"/> (e.g. "--release").</summary>
    public static string Check(string? release, string setting)
    {
        var why = release switch
        {
            null or "" => "is empty",
            "." or ".." => "is a directory reference, not a release",
            { Length: > MaxLength } => $"is longer than the kernel's {MaxLength} characters",
            _ when release.Contains('/') => "holds a '/'",
            _ when !Allowed().IsMatch(release) => "holds characters no kernel release has (allowed: letters, digits and . _ + ~ -, starting with a letter or digit)",
            _ => null,
        };
        return why is null ? release! : throw new InvalidReleaseException(
            $"{setting}: kernel release '{release}' {why}; it names /lib/modules/<release> and the boot files, so nothing is touched (give the `uname -r` of the kernel)");
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+~-]*$")]
    private static partial Regex Allowed();
}
