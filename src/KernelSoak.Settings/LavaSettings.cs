using System.Net;

namespace KernelSoak.Settings;

/// <summary>
/// [Lava]: where a probe runs when [Board] Kind = lava — the server, its token, the device type, how long to
/// wait, and the small HTTP server the dispatcher downloads the probe's kernel from.
/// </summary>
public sealed class LavaSettings
{
    /// <summary>The server's base URL (http://lava.example:8000/); the REST API is under api/v0.2/.</summary>
    [HttpUrl] public string Server { get; set; } = "";
    /// <summary>A file holding the API token (mode 0600); read when a probe starts.</summary>
    [HostPath] public string TokenFile { get; set; } = "";
    /// <summary>The token itself (better: LAVA_TOKEN in the environment, or TokenFile); masked in every log line.</summary>
    [Secret] public string Token { get; set; } = "";
    /// <summary>The device type every probe is submitted to (a LAVA device-type name).</summary>
    [LavaName] public string DeviceType { get; set; } = "qemu";
    /// <summary>A job no device takes within this is cancelled: infra-error, never a verdict.</summary>
    [Range(1, 10080)] public int QueueMinutes { get; set; } = 30;
    [Range(1, 600)] public int PollSeconds { get; set; } = 5;
    /// <summary>LAVA's own timeouts: download, boot to the prompt, and what the stress may overrun its window by.</summary>
    [Range(1, 1440)] public int DeployMinutes { get; set; } = 5;
    [Range(1, 1440)] public int BootMinutes { get; set; } = 10;
    [Range(1, 1440)] public int StressMarginMinutes { get; set; } = 3;
    [Range(0, 100)] public int Priority { get; set; } = 50;
    /// <summary>The address the artifact server listens on: 127.0.0.1 serves a worker on this host only.</summary>
    [IpAddress] public string ArtifactBind { get; set; } = "127.0.0.1";
    /// <summary>0 = any free port; a fixed port lets a restarted host serve a job that has not downloaded yet.</summary>
    [Range(0, 65535)] public int ArtifactPort { get; set; }
    /// <summary>The name the worker reaches this host by; empty = ArtifactBind (required when that is 0.0.0.0).</summary>
    public string ArtifactHost { get; set; } = "";
    /// <summary>A raw root filesystem image published with the kernel (the first virtio disk, /dev/vda).</summary>
    [HostPath] public string RootDisk { get; set; } = "";
    /// <summary>The kernel command line before the campaign's install.append_extra (space-separated words).</summary>
    public string KernelArguments { get; set; } = "console=ttyAMA0,115200 root=/dev/vda rw rootwait init=/init";
    /// <summary>The shell prompt of the root disk: LAVA types the stress line after it.</summary>
    public string Prompt { get; set; } = "/ # ";
    [Range(64, 65536)] public int MemoryMiB { get; set; } = 1024;
    [Range(1, 64)] public int Cpus { get; set; } = 2;
    /// <summary>At most this many jobs of a binary search's round at once; 0 = every device of DeviceType that takes jobs (1: one probe at a time).</summary>
    [Range(0, 64)] public int Boards { get; set; }
}

/// <summary>A check of a string setting made as it is bound: its problem (never echoing the value when it is a secret), or null.</summary>
[AttributeUsage(AttributeTargets.Property)]
public abstract class SettingCheckAttribute : Attribute
{
    public abstract string? Problem(string value);
}

/// <summary>Empty, or an absolute http(s) URL without credentials in it (a token belongs in its own setting).</summary>
public sealed class HttpUrlAttribute : SettingCheckAttribute
{
    public override string? Problem(string value) =>
        value.Length == 0 ? null
        : !Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) ? $"'{value}' is not an absolute http(s) URL"
        : uri.UserInfo.Length > 0 ? "the URL holds credentials: put the token in [Lava] TokenFile or LAVA_TOKEN"
        : null;
}

/// <summary>An IP address to bind (not a host name: a listener binds an address).</summary>
public sealed class IpAddressAttribute : SettingCheckAttribute
{
    public override string? Problem(string value) => IPAddress.TryParse(value, out _) ? null : $"'{value}' is not an IP address (e.g. 127.0.0.1, or 0.0.0.0 with ArtifactHost)";
}

/// <summary>A LAVA name (device type): letters, digits and _.- only.</summary>
public sealed class LavaNameAttribute : SettingCheckAttribute
{
    public override string? Problem(string value) =>
        value.Length is > 0 and <= 100 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-') ? null : $"'{value}': letters, digits and _.- only";
}

/// <summary>A credential: one word of printable characters; the message never shows it.</summary>
public sealed class SecretAttribute : SettingCheckAttribute
{
    public override string? Problem(string value) =>
        value.Trim().Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) ? "a token is one word of printable characters (value not shown)" : null;
}
