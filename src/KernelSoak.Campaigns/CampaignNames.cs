using System.Text.RegularExpressions;

namespace KernelSoak.Campaigns;

/// <summary>
/// What a campaign value may hold when it becomes a path or part of a command on the host or the board.
/// Each rule returns why a value is refused, or null. "." and ".." were ids once: the artifacts landed
/// in the repository root and the build in the cache root; a label with a newline wrote a second
/// <c>default</c> into extlinux.conf; <c>Image-{release}$(reboot)</c> went into a shell command.
/// </summary>
public static partial class CampaignNames
{
    /// <summary>A name that becomes one path segment (campaign id, patch id, stress name, campaign name).</summary>
    public static string? Segment(string value) => value switch
    {
        "" => "is empty",
        "." or ".." => "is a directory reference",
        _ when value[0] == '-' => "starts with '-' (a command would read it as an option)",
        _ when !SegmentChars().IsMatch(value) => "may hold only letters, digits, '.', '_' and '-'",
        _ => null,
    };

    /// <summary>The label KernelSoak writes into extlinux.conf and greps for: a plain word.</summary>
    public static string? NewLabel(string value) => value switch
    {
        "" => "is empty",
        _ when !LabelChars().IsMatch(value) => "may hold only letters, digits and . _ + - (starting with a letter or digit): it is written into extlinux.conf and used in commands",
        _ => null,
    };

    /// <summary>A label already on the board (default_label, fallback_labels): real ones have spaces and parentheses, never control or shell characters.</summary>
    public static string? ExistingLabel(string value) => value switch
    {
        "" => "is empty",
        _ when value.Any(char.IsControl) => "holds a control character (a newline would write a line of its own into extlinux.conf)",
        _ when value.Trim() != value => "starts or ends with a space (U-Boot compares label names byte for byte)",
        _ when value[0] == '#' => "starts with '#' (U-Boot reads the rest as a comment)",
        _ when value.IndexOfAny(ShellCharacters) >= 0 => $"holds one of {new string(ShellCharacters)} (shell characters no extlinux label needs)",
        _ => null,
    };

    private static readonly char[] ShellCharacters = ['$', '`', ';', '|', '&', '<', '>', '\\', '"', '\''];

    /// <summary>A boot file name pattern (image, dtb_name, initramfs_name): one file under boot_dir once {release} and {dtb} are in.</summary>
    public static string? FileNamePattern(string value)
    {
        var bare = value.Replace("{release}", "", StringComparison.Ordinal).Replace("{dtb}", "", StringComparison.Ordinal);
        if (value.Length == 0) return "is empty";
        if (bare.Contains('{') || bare.Contains('}')) return "knows only the placeholders {release} and {dtb}";
        if (!FileChars().IsMatch(bare)) return "may hold only letters, digits, '.', '_', '+', '~' and '-' besides {release} and {dtb}: it is a file name under boot_dir and part of commands on the board";
        return value is "." or ".." ? "is a directory reference" : null;
    }

    /// <summary>An absolute path on the board (boot_dir, extlinux): plain segments, no "." or "..".</summary>
    public static string? BoardPath(string value)
    {
        if (!value.StartsWith('/')) return "must be an absolute path";
        var parts = value.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length > 0 && parts.All(p => p is not ("." or "..") && SegmentChars().IsMatch(p))
            ? null : "may hold only plain segments (letters, digits, '.', '_', '-'), no '.' or '..', and not be '/'";
    }

    /// <summary>A path relative to the build's arch/*/boot/dts (install.dtb); empty = the firmware's.</summary>
    public static string? DtbPath(string value) =>
        value.Length == 0 || value.Split('/').All(p => Segment(p) is null) ? null : "must be a path under arch/*/boot/dts of plain segments (letters, digits, '.', '_', '-'; no '..')";

    /// <summary>Text that ends up in the kernel release (localversion, release_suffix).</summary>
    public static string? ReleasePart(string value) =>
        FileChars().IsMatch(value) ? null : "may hold only letters, digits and . _ + ~ - (it becomes part of the kernel release: /lib/modules/<release> on the board)";

    /// <summary>A kernel parameter added to the label's append line.</summary>
    public static string? KernelParameter(string value) =>
        value.Length > 0 && !value.Any(c => char.IsControl(c) || c == ' ') ? null : "must be one non-empty word without spaces or control characters (a newline would end the append line)";

    [GeneratedRegex("^[A-Za-z0-9._-]+$")] private static partial Regex SegmentChars();
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+-]*$")] private static partial Regex LabelChars();
    [GeneratedRegex("^[A-Za-z0-9._+~-]*$")] private static partial Regex FileChars();
}
