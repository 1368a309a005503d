using KernelSoak.Processes;
using KernelSoak.Settings;

namespace KernelSoak.Build;

/// <summary>How to reach the board, as the exact commands a user would type (for logs and --dryrun).</summary>
public sealed record Board(BoardSettings Settings, string BoardDir)
{
    public string IdentityFile => Settings.IdentityFile.Length > 0 ? Settings.IdentityFile : Path.Combine(BoardDir, "id_ed25519");

    /// <summary>As SshTarget runs it: through <c>sudo -n</c> for a login that is not root.</summary>
    public string Ssh(string remoteCommand) =>
        $"ssh -i {CommandLine.Quote(IdentityFile)} -p {Settings.Port} {Settings.User}@{Settings.Host} " +
        CommandLine.Quote(Settings.Sudo ? "sudo -n -- sh -c " + CommandLine.Quote(remoteCommand) : remoteCommand);

    public string Address => $"{Settings.User}@{Settings.Host}:{Settings.Port}";
}
