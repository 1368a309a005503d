using KernelSoak.Boot;
using KernelSoak.Kernel;
using KernelSoak.Remote;

namespace KernelSoak.Deploy;

/// <summary>Where and how a kernel goes on the board (from the campaign's [install]).</summary>
public sealed record InstallLayout(string BootDir, string ExtlinuxPath, string ImageName, string Label, string DefaultLabel,
    IReadOnlyList<string> AppendExtra, int MinFreeMb)
{
    public string ImagePath(string release) => $"{BootDir.TrimEnd('/')}/{ImageName.Replace("{release}", release, StringComparison.Ordinal)}";
}

public sealed record SyncResult(int Sent, int Deleted, int Unchanged, long BytesSent);

/// <summary>
/// Puts a built kernel on the board like rsync would — only changed files, one tar stream, stale files
/// removed, other releases never touched, hashes verified — and adds its extlinux label, keeping the default.
/// </summary>
public sealed class KernelInstaller(SshTarget ssh, InstallLayout layout, Action<string> say)
{
    public async Task<SyncResult> SyncModulesAsync(BuildManifest manifest, CancellationToken cancellation = default)
    {
        var target = $"/lib/modules/{manifest.Release}";
        // modules.dep, modules.alias … are depmod's output: made on the board, never copied or compared.
        var files = manifest.Modules.Where(m => !IsDepmodOutput(m.RelativePath)).ToList();
        var remote = await RemoteFiles.HashesAsync(ssh, target, cancellation);
        var changed = files.Where(m => !remote.TryGetValue(m.RelativePath, out var h) || h != m.Sha256).ToList();
        var stale = remote.Keys.Except(files.Select(m => m.RelativePath)).Where(p => !IsDepmodOutput(p)).ToList();
        if (changed.Count == 0 && stale.Count == 0)
        {
            say($"modules: {files.Count} files unchanged in {target}");
            return new SyncResult(0, 0, files.Count, 0);
        }
        var q = SshTarget.Quote(target);
        // Unpack into a staging dir on the same filesystem, then move each file into place.
        var staging = SshTarget.Quote($"/lib/modules/.ks-incoming-{manifest.Release}");
        var result = await ssh.RunWithInputAsync(
            $"set -e; rm -rf {staging}; mkdir -p {staging} {q}; tar -C {staging} -xf -; cd {staging}; " +
            $"find . -type d -exec mkdir -p {q}/{{}} \\; ; find . -type f -exec mv {{}} {q}/{{}} \\; ; cd /; rm -rf {staging}; sync",
            s => RemoteFiles.WriteTarAsync(s, manifest.ModulesDir, changed.Select(c => c.RelativePath), cancellation), TimeSpan.FromMinutes(10), cancellation);
        if (!result.Succeeded) throw new IOException($"sending modules to {target} failed: {result.Error.Trim()}");
        if (stale.Count > 0)
            await ssh.CheckAsync($"cd {q} && rm -f {string.Join(' ', stale.Select(SshTarget.Quote))}", TimeSpan.FromMinutes(1), cancellation);
        var depmod = await ssh.RunAsync($"depmod {SshTarget.Quote(manifest.Release)}", TimeSpan.FromMinutes(2), cancellation);
        if (!depmod.Succeeded) throw new InvalidOperationException($"depmod {manifest.Release} failed on the board: {depmod.Error.Trim()}");
        var after = await RemoteFiles.HashesAsync(ssh, target, cancellation);
        var wrong = files.Where(m => after.GetValueOrDefault(m.RelativePath) != m.Sha256).Select(m => m.RelativePath).ToList();
        if (wrong.Count > 0) throw new IOException($"after the copy {wrong.Count} module file(s) differ on the board, e.g. {wrong[0]}");
        var bytes = changed.Sum(c => c.Size);
        say($"modules: sent {changed.Count}, deleted {stale.Count}, unchanged {files.Count - changed.Count} ({bytes / 1024} KiB), verified");
        return new SyncResult(changed.Count, stale.Count, files.Count - changed.Count, bytes);
    }

    private static bool IsDepmodOutput(string relativePath) =>
        !relativePath.Contains('/', StringComparison.Ordinal) && relativePath.StartsWith("modules.", StringComparison.Ordinal)
        && relativePath is not ("modules.order" or "modules.builtin" or "modules.builtin.modinfo");

    public async Task<bool> CopyImageAsync(BuildManifest manifest, CancellationToken cancellation = default)
    {
        var path = layout.ImagePath(manifest.Release);
        if (await RemoteFiles.HashAsync(ssh, path, cancellation) == manifest.Image.Sha256)
        {
            say($"image: {path} unchanged");
            return false;
        }
        await EnsureSpaceAsync(manifest.Image.Size, cancellation);
        await RemoteFiles.WriteAtomicAsync(ssh, path, async s =>
        {
            await using var file = File.OpenRead(manifest.Image.Path);
            await file.CopyToAsync(s, cancellation);
        }, cancellation);
        var written = await RemoteFiles.HashAsync(ssh, path, cancellation);
        if (written != manifest.Image.Sha256) throw new IOException($"{path} on the board has sha256 {written}, expected {manifest.Image.Sha256}");
        say($"image: {path} ({manifest.Image.Size / 1024 / 1024} MiB) written and verified");
        return true;
    }

    /// <summary>Free space for the new files plus a margin, never below the campaign's floor (the plan's R11).</summary>
    public async Task EnsureSpaceAsync(long bytes, CancellationToken cancellation = default)
    {
        var free = await RemoteFiles.FreeBytesAsync(ssh, layout.BootDir, cancellation);
        var need = Math.Max(bytes + bytes / 10, 0);
        if (free < need || free < layout.MinFreeMb * 1024L * 1024)
            throw new IOException($"{layout.BootDir} has {free / 1024 / 1024} MiB free; the new files need {need / 1024 / 1024} MiB and the campaign's floor is {layout.MinFreeMb} MiB. " +
                "Remove old Image-* files there, or set install.image to overwrite an older kernel's file. Nothing was written.");
    }

    /// <summary>Adds or updates the test label (default untouched), with a backup and an atomic write; returns the backup path or null when nothing changed.</summary>
    public async Task<string?> UpdateExtlinuxAsync(string release, string? fdt, CancellationToken cancellation = default)
    {
        var text = await ssh.CheckAsync($"cat {SshTarget.Quote(layout.ExtlinuxPath)}", TimeSpan.FromSeconds(30), cancellation);
        var config = ExtlinuxConfig.Parse(text);
        var baseLabel = config.Labels.FirstOrDefault(l => l.Name == layout.DefaultLabel)
            ?? throw new ExtlinuxException($"{layout.ExtlinuxPath} has no label '{layout.DefaultLabel}' (the campaign's default_label)");
        var append = string.Join(' ', new[] { baseLabel.Append ?? "" }.Concat(layout.AppendExtra.Where(x => !(baseLabel.Append ?? "").Split(' ').Contains(x))).Where(x => x.Length > 0));
        var label = new ExtlinuxLabel(layout.Label)
        {
            MenuLabel = $"{layout.Label} ({release}, KernelSoak)",
            Kernel = "/" + Path.GetRelativePath(layout.BootDir, layout.ImagePath(release)),
            Fdt = fdt,
            Append = append,
        };
        var updated = config.WithLabel(label);
        updated.Validate();
        if (updated.Render() == text)
        {
            say($"extlinux: label {layout.Label} already boots {release}");
            return null;
        }
        var backup = $"{layout.ExtlinuxPath}.kernelsoak-{DateTimeOffset.UtcNow:yyyyMMddTHHmmssZ}";
        await ssh.CheckAsync($"cp {SshTarget.Quote(layout.ExtlinuxPath)} {SshTarget.Quote(backup)} && sync", TimeSpan.FromSeconds(30), cancellation);
        await RemoteFiles.WriteTextAsync(ssh, layout.ExtlinuxPath, updated.Render(), cancellation);
        say($"extlinux: label {layout.Label} → {release}; default stays {updated.Default ?? "(first label)"}; backup {backup}");
        return backup;
    }
}
