using KernelSoak.Boot;
using KernelSoak.Kernel;
using KernelSoak.Remote;
using KernelSoak.Processes;

namespace KernelSoak.Deploy;

/// <summary>
/// Puts a built kernel on the board like rsync would — only changed files, one tar stream, stale files
/// removed, other releases never touched, hashes verified — and adds its extlinux label, keeping the default.
/// </summary>
public sealed partial class KernelInstaller(SshTarget ssh, InstallLayout layout, Action<string> say) : IBootDefault
{
    /// <summary>Where transfer progress goes (bytes/s, for copies over two seconds); default: nowhere.</summary>
    public Action<string> Progress { get; init; } = _ => { };

    public Task<bool> CopyImageAsync(BuildManifest manifest, CancellationToken cancellation = default) =>
        CopyBootFileAsync(manifest.Image, layout.ImagePath(manifest.Release), cancellation);

    /// <summary>The campaign's DTB from the build, under its release-suffixed name; false when there is none or it is unchanged.</summary>
    public Task<bool> CopyDtbAsync(BuildManifest manifest, CancellationToken cancellation = default)
    {
        if (layout.DtbPath(manifest.Release) is not { } path) return Task.FromResult(false);
        var dtb = manifest.Dtbs.FirstOrDefault(d => d.RelativePath == layout.Dtb || d.RelativePath.EndsWith("/" + layout.Dtb, StringComparison.Ordinal))
            ?? throw new FileNotFoundException($"the build has no DTB {layout.Dtb} (install.dtb); it built {manifest.Dtbs.Count} DTBs, e.g. {manifest.Dtbs.FirstOrDefault()?.RelativePath ?? "none: is CONFIG_OF set and 'dtbs' in kernel.targets?"}");
        return CopyBootFileAsync(dtb, path, cancellation);
    }

    /// <summary>The host's build of <see cref="FastSha256"/> for this board, or null (the board's sha256sum does all hashing).</summary>
    public string? Sha256Helper { get; init; }

    private bool _helperPlaced;

    /// <summary>
    /// One file to the boot partition: skipped when the board's copy has the same sha256; else written to a
    /// temp name (hashed on the way), synced, renamed. One SSH command does it all: it prints what the board
    /// has (the sha256 of a copy already there, the free space; first of all it places the fast hasher when
    /// the file is big, as it is gone after every reboot), then waits for our word — "skip", or "send" and
    /// the file. A probe and a copy apart cost a process and a round trip more (half a second on the emulated board).
    /// </summary>
    public async Task<bool> CopyBootFileAsync(ManifestFile file, string path, CancellationToken cancellation = default)
    {
        var place = Sha256Helper is not null && !_helperPlaced && file.Size >= 1 << 20;
        var command = BootFileCommand(layout.BootDir, path, file.Sha256,
            place ? FastSha256.PlaceScript(await File.ReadAllBytesAsync(Sha256Helper!, cancellation)) : "true");
        string? probe = null;
        string? onBoard = null;
        long free = 0;
        var result = await ssh.ConverseAsync(command, async (input, until) =>
        {
            probe = await until("@@go");
            if (probe is null) return; // it ended before asking: the result says why
            var hashAt = probe.IndexOf("@@hash\n", StringComparison.Ordinal);
            var freeAt = probe.IndexOf("@@free\n", StringComparison.Ordinal);
            if (hashAt < 0 || freeAt < hashAt) { probe = null; return; }
            if (place) say($"hashing on the board with {probe[..hashAt].Trim()}");
            var hash = probe[(hashAt + 7)..freeAt].Trim();
            onBoard = hash.Length >= 64 ? hash[..64] : null;
            free = RemoteFiles.ParseFreeBytes(probe[(freeAt + 7)..], layout.BootDir);
            if (onBoard == file.Sha256 || !HasSpace(free, file.Size))
            {
                await input.WriteAsync("skip\n"u8.ToArray(), cancellation);
                return;
            }
            await input.WriteAsync("send\n"u8.ToArray(), cancellation);
            await using var local = File.OpenRead(file.Path);
            await local.CopyToAsync(new ProgressStream(input, Path.GetFileName(path), file.Size, Progress), 256 * 1024, cancellation);
        }, TimeSpan.FromMinutes(10), cancellation);
        if (probe is null) throw new IOException($"cannot read {path} and the free space of {layout.BootDir} on {ssh.Endpoint}: {result.Error.Trim()}");
        _helperPlaced |= place;
        if (onBoard == file.Sha256)
        {
            say($"{Path.GetFileName(path)}: unchanged on the board");
            return false;
        }
        CheckSpace(free, file.Size);
        if (!result.Succeeded) await RemoteFiles.FailedWriteAsync(ssh, path, result, cancellation);
        say($"{Path.GetFileName(path)}: {file.Size / 1024} KiB written and verified");
        return true;
    }

    /// <summary>The one command of <see cref="CopyBootFileAsync"/>: <paramref name="place"/> (the hasher's placing, or true), what the board has, then the copy.</summary>
    public static string BootFileCommand(string bootDir, string path, string sha256, string place) =>
        $"{place}; echo @@hash; {FastSha256.Command} {CommandLine.Quote(path)} 2>/dev/null; echo @@free; df -k {CommandLine.Quote(bootDir)} | tail -1; echo @@go; " +
        $"{RemoteFiles.AwaitSend}; {RemoteFiles.ReceiveCommand(path, sha256)}";

    /// <summary>What <see cref="UpdateExtlinuxAsync"/> runs: read, keep a backup, write the edited file (its sha256 checked).</summary>
    public static IEnumerable<string> ExtlinuxCommands(string extlinux, string backup, string sha256) =>
        [ReadCommand(extlinux), BackupCommand(extlinux, backup), RemoteFiles.ReceiveCommand(extlinux, sha256)];

    public static string ReadCommand(string path) => $"cat {CommandLine.Quote(path)}";
    private static string BackupCommand(string path, string backup) => $"cp -p {CommandLine.Quote(path)} {CommandLine.Quote(backup)} && sync";

    /// <summary>
    /// Swaps changed modules in the running kernel instead of rebooting: each one that is loaded is removed
    /// and loaded again from the new file, then its srcversion is checked against the file. False when a
    /// module cannot be removed (in use): the caller reboots instead.
    /// </summary>
    public async Task<bool> ReloadModulesAsync(string release, IReadOnlyList<string> modules, CancellationToken cancellation = default)
    {
        foreach (var name in modules)
        {
            var result = await ssh.RunAsync(ReloadCommand(CommandLine.Quote(name)), TimeSpan.FromMinutes(1), cancellation);
            if (result.ExitCode == 3)
            {
                say($"module {name} is in use and cannot be removed: rebooting instead");
                return false;
            }
            if (!result.Succeeded) throw new InvalidOperationException($"reloading {name} on the board failed (exit {result.ExitCode}): {result.Error.Trim()}");
        }
        say(modules.Count == 0 ? $"no module changed: {release} keeps running, no reboot" : $"reloaded {string.Join(", ", modules)} in the running {release}: no reboot");
        return true;
    }

    /// <summary>
    /// What reloads one module (<paramref name="module"/> quoted, or a dry run's placeholder): gone when not loaded,
    /// exit 3 when in use, then its srcversion checked against the new file.
    /// </summary>
    public static string ReloadCommand(string module) =>
        $"[ -d /sys/module/{module} ] || exit 0; modprobe -r {module} || exit 3; modprobe {module} || exit 4; " +
        $"f=$(modinfo -n {module}) && [ \"$(modinfo -F srcversion \"$f\")\" = \"$(cat /sys/module/{module}/srcversion 2>/dev/null || modinfo -F srcversion \"$f\")\" ]";

    /// <summary>Makes the initramfs with the board's own tool (it must see the installed modules); returns its sha256, or null when the campaign has none.</summary>
    public async Task<string?> MakeInitramfsAsync(string release, CancellationToken cancellation = default)
    {
        if (layout.InitrdPath(release) is not { } initrd) return null;
        var command = InitramfsCommandFor(layout.InitramfsCommand, release, initrd);
        var tool = command.Split(' ', 2)[0];
        var result = await ssh.RunAsync($"command -v {CommandLine.Quote(tool)} >/dev/null || {{ echo '{tool}: not installed on the board' >&2; exit 127; }}; {command}", TimeSpan.FromMinutes(10), cancellation);
        if (!result.Succeeded)
            throw new InvalidOperationException($"'{command}' failed on the board (exit {result.ExitCode}): {Tail(result.Error + result.Output)}. " +
                "Set install.initramfs to the tool the board has (mkinitcpio, dracut, update-initramfs) or \"none\"");
        var hash = await RemoteFiles.HashAsync(ssh, initrd, cancellation);
        var size = await ssh.RunAsync($"test -s {CommandLine.Quote(initrd)}", TimeSpan.FromSeconds(30), cancellation);
        if (hash is null || !size.Succeeded) throw new IOException($"'{command}' succeeded but {initrd} is missing or empty");
        say($"initramfs: {initrd} made by {tool}");
        return hash;
    }

    /// <summary>The initramfs tool's command with the release and the image path in, each as one quoted word.</summary>
    public static string InitramfsCommandFor(string pattern, string release, string initrd) =>
        pattern.Replace("{release}", CommandLine.Quote(KernelRelease.Check(release, "release")), StringComparison.Ordinal)
            .Replace("{initrd}", CommandLine.Quote(initrd), StringComparison.Ordinal);

    private static string Tail(string text) => string.Join(" | ", text.Trim().Split('\n').TakeLast(3));

    /// <summary>Free space for the new files plus a margin, never below the campaign's floor (the plan's R11).</summary>
    public async Task EnsureSpaceAsync(long bytes, CancellationToken cancellation = default) =>
        CheckSpace(await RemoteFiles.FreeBytesAsync(ssh, layout.BootDir, cancellation), bytes);

    private static long Needed(long bytes) => Math.Max(bytes + bytes / 10, 0);

    private bool HasSpace(long free, long bytes) => free >= Needed(bytes) && free >= layout.MinFreeMb * 1024L * 1024;

    private void CheckSpace(long free, long bytes)
    {
        if (!HasSpace(free, bytes))
            throw new IOException($"{layout.BootDir} has {free / 1024 / 1024} MiB free; the new files need {Needed(bytes) / 1024 / 1024} MiB and the campaign's floor is {layout.MinFreeMb} MiB. " +
                "Remove old Image-* files there, or set install.image to overwrite an older kernel's file. Nothing was written.");
    }

    /// <summary>Adds or updates the test label (default untouched), with a backup and an atomic write; returns the backup path or null when nothing changed.</summary>
    public async Task<string?> UpdateExtlinuxAsync(string release, CancellationToken cancellation = default)
    {
        var (text, config) = await ReadExtlinuxAsync(cancellation);
        var baseLabel = config.Labels.FirstOrDefault(l => l.Name == layout.DefaultLabel)
            ?? throw new ExtlinuxException($"{layout.ExtlinuxPath} has no label '{layout.DefaultLabel}' (the campaign's default_label)");
        var baseAppend = baseLabel.Append ?? "";
        var append = string.Join(' ', new[] { baseAppend }.Concat(layout.AppendExtra.Where(x => !baseAppend.Split(' ').Contains(x))).Where(x => x.Length > 0));
        var label = new ExtlinuxLabel(layout.Label)
        {
            MenuLabel = $"{layout.Label} ({release}, KernelSoak)",
            Kernel = layout.BootRelative(layout.ImagePath(release)),
            Initrd = layout.InitrdPath(release) is { } initrd ? layout.BootRelative(initrd) : null,
            Fdt = layout.DtbPath(release) is { } dtb ? layout.BootRelative(dtb) : baseLabel.Fdt,
            FdtDir = layout.DtbPath(release) is null ? baseLabel.FdtDir : null,
            Append = append,
        };
        var updated = config.WithLabel(label);
        // A default naming no label yet (or our own label's "menu default") would make the new label U-Boot's choice.
        if (config.DefaultLabel?.Name != layout.Label && updated.DefaultLabel?.Name != config.DefaultLabel?.Name)
            throw new ExtlinuxException($"{layout.ExtlinuxPath}: adding label {layout.Label} would make U-Boot boot it instead of {config.DefaultLabel?.Name} ({updated.DefaultReason}); nothing was changed — fix the default first");
        if (updated.Render() == text)
        {
            say($"extlinux: label {layout.Label} already boots {release}");
            return null;
        }
        var backup = await WriteExtlinuxAsync(updated, cancellation);
        say($"extlinux: label {layout.Label} → {release}; U-Boot still boots {updated.DefaultLabel?.Name} ({updated.DefaultReason}); backup {backup}");
        return backup;
    }

    /// <summary>
    /// Makes <paramref name="label"/> the default (a temporary flip for a board without a serial console to
    /// pick it at); returns the default it replaces and U-Boot's menu number of that label, or null when it
    /// already was the default.
    /// </summary>
    public async Task<(string Previous, int PreviousMenuNumber)?> SetDefaultAsync(string label, CancellationToken cancellation = default)
    {
        var (_, config) = await ReadExtlinuxAsync(cancellation);
        // What U-Boot boots now (its own reading: the last default/ontimeout, else a "menu default", else the first label).
        var previous = config.DefaultLabel!.Name;
        var updated = config.WithDefault(label);
        var unflip = new BoardSideUnflip(layout);
        if (ReferenceEquals(updated, config))
        {
            if (label != layout.Label) await unflip.DisarmAsync(ssh, cancellation); // the board's own hook restored it
            return null;
        }
        // The test label as the default always comes with the board's own undo, armed before the flip is written.
        if (label == layout.Label)
            say((await unflip.ArmAsync(ssh, updated.Render(), cancellation)) is { } hook
                ? $"extlinux: the board puts {previous} back itself early in its next boot ({hook} hook {unflip.Script}); before that, a test kernel that panics reboots into {label} again"
                : $"extlinux: this board has neither systemd nor /etc/init.d: nothing on it puts {previous} back; only this run does, once the test kernel is verified");
        var backup = await WriteExtlinuxAsync(updated, cancellation);
        if (label != layout.Label) await unflip.DisarmAsync(ssh, cancellation);
        say($"extlinux: default {previous} → {label} (backup {backup})");
        return (previous, config.DefaultMenuNumber);
    }

    /// <summary>A label of the board's extlinux.conf as U-Boot would read it (what boot_selection = kexec starts by hand).</summary>
    public async Task<ExtlinuxLabel> LabelAsync(string name, CancellationToken cancellation = default)
    {
        var (_, config) = await ReadExtlinuxAsync(cancellation);
        return config.Labels.FirstOrDefault(l => l.Name == name)
            ?? throw new ExtlinuxException($"{layout.ExtlinuxPath} on the board has no label '{name}': install the kernel first (InstallKernel)");
    }

    /// <summary>The label U-Boot boots on the board now, and why (the line that decides it).</summary>
    public async Task<(string Label, int MenuNumber, string Reason)> BootedLabelAsync(CancellationToken cancellation = default)
    {
        var (_, config) = await ReadExtlinuxAsync(cancellation);
        return (config.DefaultLabel?.Name ?? "", config.DefaultMenuNumber, config.DefaultReason);
    }

    private async Task<(string Text, ExtlinuxConfig Config)> ReadExtlinuxAsync(CancellationToken cancellation)
    {
        var text = await ssh.CheckAsync(ReadCommand(layout.ExtlinuxPath), TimeSpan.FromSeconds(30), cancellation);
        try
        {
            // A file damaged past reading (no label, a label without a kernel: empty, binary, cut inside a label's
            // head) is never rewritten: a change would be a guess, and the backup would keep only the damage.
            // Other problems are Validate's to name when writing.
            var config = ExtlinuxConfig.Parse(text);
            config.CheckIntact();
            return (text, config);
        }
        catch (ExtlinuxException e)
        {
            throw new ExtlinuxException($"{layout.ExtlinuxPath} on the board: {e.Message}. Nothing was changed; fix the file (a copy of the last good one is {layout.ExtlinuxPath}.kernelsoak-* when KernelSoak wrote it before)");
        }
    }

    /// <summary>Validates, backs up the current file, writes temp + fsync + rename; returns the backup path.</summary>
    private async Task<string> WriteExtlinuxAsync(ExtlinuxConfig updated, CancellationToken cancellation)
    {
        updated.Validate();
        var backup = $"{layout.ExtlinuxPath}.kernelsoak-{DateTimeOffset.UtcNow:yyyyMMddTHHmmssfffZ}";
        await ssh.CheckAsync(BackupCommand(layout.ExtlinuxPath, backup), TimeSpan.FromSeconds(30), cancellation);
        await RemoteFiles.WriteTextAsync(ssh, layout.ExtlinuxPath, updated.Render(), cancellation);
        return backup;
    }

    /// <summary>
    /// Takes a release off the board: its label (the default goes back to the campaign's default label if
    /// it named this one), then its Image, DTB, initramfs and /lib/modules directory. Refuses while the
    /// board runs that release. Other releases and labels are never touched.
    /// </summary>
    public async Task<IReadOnlyList<string>> UninstallAsync(string release, CancellationToken cancellation = default)
    {
        KernelRelease.Check(release, "release");
        var running = (await ssh.CheckAsync("uname -r", TimeSpan.FromSeconds(30), cancellation)).Trim();
        if (running == release)
            throw new InvalidOperationException($"the board is running {release}: boot {layout.DefaultLabel} first (reboot; it is the default), then uninstall");
        var removed = new List<string>();
        var (_, config) = await ReadExtlinuxAsync(cancellation);
        var kernel = layout.BootRelative(layout.ImagePath(release));
        var labels = config.Labels.Where(l => l.Name == layout.Label).ToList();
        if (labels.Count > 0 && labels.All(l => l.Kernel == kernel))
        {
            var updated = config.WithoutLabel(layout.Label);
            // It was what U-Boot booted (a flip never restored), or the default now names nothing: back to known-good.
            if (config.DefaultLabel?.Name == layout.Label || updated.DefaultNamesNoLabel)
                updated = updated.WithDefault(layout.DefaultLabel);
            var backup = await WriteExtlinuxAsync(updated, cancellation);
            removed.Add($"label {layout.Label} (backup {backup})");
        }
        else if (labels.Count > 0)
            say($"uninstall: label {layout.Label} boots {labels[0].Kernel}, not {release}'s {kernel}: it stays");
        var paths = layout.ReleasePaths(release);
        var present = await ssh.RunAsync(string.Join("; ", paths.Select(p => $"[ -e {CommandLine.Quote(p)} ] && echo {CommandLine.Quote(p)}")) + "; true", TimeSpan.FromSeconds(30), cancellation);
        var existing = present.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (existing.Length > 0)
            await ssh.CheckAsync($"rm -rf {string.Join(' ', existing.Select(CommandLine.Quote))} && sync", TimeSpan.FromMinutes(2), cancellation);
        removed.AddRange(existing);
        say(removed.Count == 0 ? $"uninstall: nothing of {release} on the board" : $"uninstall: removed {string.Join(", ", removed)}");
        return removed;
    }
}
