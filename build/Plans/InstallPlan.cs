using KernelSoak.Campaigns;
using KernelSoak.Deploy;
using KernelSoak.Journal;
using KernelSoak.Kernel;
using KernelSoak.Processes;
using KernelSoak.Steps;
using KernelSoak.Frosting;

namespace KernelSoak.Build.Plans;

/// <summary>Put a built kernel on the board (the seed plan's steps 1.4–1.7), verified and idempotent.</summary>
public static class InstallPlan
{
    public static InstallLayout Layout(BuildContext c)
    {
        var i = c.Campaign.Install;
        return new(i.BootDir, i.Extlinux, i.Image, i.Label, i.DefaultLabel, i.AppendExtra, i.MinFreeMb)
        {
            Dtb = i.Dtb,
            DtbName = i.DtbName,
            InitramfsName = i.InitramfsName,
            InitramfsCommand = InitramfsTools.Command(i.Initramfs, i.BootDir),
        };
    }

    /// <summary>The fast board-side hasher for an arm64 campaign, built once with its cross compiler; null otherwise.</summary>
    private static async Task<string?> Sha256HelperAsync(BuildContext c)
    {
        if (c.Campaign.Kernel.Arch != "arm64") return null;
        return await FastSha256.BuildAsync(c.Campaign.Kernel.CrossCompile, Path.Combine(c.CacheDir, "helpers"), c.Commands);
    }

    private static async Task<T> TransferAsync<T>(BuildContext c, string title, Func<Action<string>, Task<T>> work)
    {
        T result = default!;
        await c.Output.WithStatusAsync(title, async say => result = await work(say));
        return result;
    }

    /// <summary>The first big file of a run places the board's fast hasher first (a script with the binary in it).</summary>
    private const string PlaceHelper = "<placing of the fast sha256 helper, or true>";

    /// <summary>A stand-in release for showing paths before the real one is known.</summary>
    private const string ShownRelease = "0.0.0-kernelsoak-shown";

    public static IEnumerable<Step> Steps(BuildContext c, string prefix = "install")
    {
        var i = c.Campaign.Install;
        var b = c.Board;
        var manifest = File.Exists(c.ManifestPath) ? BuildManifest.Load(c.ManifestPath) : null;
        var release = manifest?.Release ?? PlanText.Release(c);
        var layout = Layout(c);
        // Before ConfigureKernel the release is unknown: the plan shows the placeholder (a path is never made of it).
        string? Shown(Func<string, string?> path) => release == PlanText.ReleasePlaceholder
            ? path(ShownRelease)?.Replace(ShownRelease, PlanText.ReleasePlaceholder, StringComparison.Ordinal) : path(release);
        var image = Shown(layout.ImagePath)!;
        var modulesDir = Shown(layout.ModulesDir)!;
        var q = (Func<string, string>)CommandLine.Quote;
        var staging = manifest?.ModulesDir ?? Path.Combine(c.Kernel.BuildDir, "staging", "lib", "modules", release);
        async Task<KernelInstaller> Installer(Action<string>? progress = null) =>
            new(await c.BoardAsync(), layout, c.Output.Info) { Progress = progress ?? (_ => { }), Sha256Helper = await Sha256HelperAsync(c) };
        // Copies that take a while show bytes/s: a spinner line on a terminal, plain lines otherwise.
        Task<T> Transfer<T>(string title, Func<KernelInstaller, Task<T>> copy) =>
            TransferAsync(c, title, async say => await copy(await Installer(say)));
        BuildManifest Manifest() => manifest ?? throw new UserErrorException($"no build manifest at {c.ManifestPath}: run CompileKernel first (without --exclusive)");

        yield return new Step($"{prefix}/modules", $"sync /lib/modules/{release}: changed files only, in one tar stream; stale files removed; depmod; hashes verified",
            Fingerprint.Of(release, string.Join('\n', manifest?.Modules.Select(m => m.RelativePath + m.Sha256) ?? [])),
            [$"tar -C {q(staging)} -cf - <changed files and the script that moves them, removes stale ones and runs depmod> | {b.Ssh(KernelInstaller.SyncCommand(modulesDir, Path.GetFileName(modulesDir)))}"],
            async ct => { var r = await Transfer($"modules → /lib/modules/{release}", i => i.SyncModulesAsync(Manifest(), ct)); return StepResult.Ok(new Dictionary<string, string> { ["sent"] = r.Sent.ToString(System.Globalization.CultureInfo.InvariantCulture), ["changed_modules"] = string.Join(' ', r.ChangedModules) }); })
            { Group = "install/modules" };

        yield return new Step($"{prefix}/image", $"Image → {image} (temp name, sync, rename; sha256 checked on the board)", manifest?.Image.Sha256 ?? "",
            [$"{b.Ssh(KernelInstaller.BootFileCommand(i.BootDir, image, manifest?.Image.Sha256 ?? "<sha256 of the Image>", PlaceHelper))} < {q(manifest?.Image.Path ?? "arch/…/boot/Image")}"],
            async ct => { await Transfer($"Image → {image}", i => i.CopyImageAsync(Manifest(), ct)); return StepResult.Ok(new Dictionary<string, string> { ["image"] = image }); })
            { Group = "install/image" };

        if (Shown(layout.DtbPath) is { } dtb)
        {
            var built = manifest?.Dtbs.FirstOrDefault(d => d.RelativePath.EndsWith(i.Dtb, StringComparison.Ordinal));
            yield return new Step($"{prefix}/dtb", $"{Path.GetFileName(i.Dtb)} → {dtb} (temp name, sha256 checked, rename)", built?.Sha256 ?? i.Dtb,
                [$"{b.Ssh(KernelInstaller.BootFileCommand(i.BootDir, dtb, built?.Sha256 ?? "<sha256 of the DTB>", PlaceHelper))} < {q(built?.Path ?? Path.Combine(c.Kernel.BuildDir, "arch", c.Campaign.Kernel.Arch, "boot", "dts", i.Dtb))}"],
                async ct => { await Transfer($"DTB → {dtb}", i => i.CopyDtbAsync(Manifest(), ct)); return StepResult.Ok(new Dictionary<string, string> { ["dtb"] = dtb }); })
                { Group = "install/dtb" };
        }
        if (Shown(layout.InitrdPath) is { } initrd)
        {
            var command = Shown(r => KernelInstaller.InitramfsCommandFor(layout.InitramfsCommand, r, layout.InitrdPath(r)!))!;
            // The image holds modules: remade whenever they change.
            yield return new Step($"{prefix}/initramfs", $"initramfs {initrd} made on the board by {i.Initramfs.ToString().ToLowerInvariant()}",
                Fingerprint.Of(command, string.Join('\n', manifest?.Modules.Select(m => m.Sha256) ?? [])), [b.Ssh(command)],
                async ct =>
                {
                    var sha = await (await Installer()).MakeInitramfsAsync(release, ct);
                    return StepResult.Ok(new Dictionary<string, string> { ["initrd"] = initrd, ["sha256"] = sha ?? "" });
                }) { Group = "install/initramfs" };
        }

        yield return new Step($"{prefix}/extlinux", $"label {i.Label} → {release} (append = {i.DefaultLabel}'s + {string.Join(' ', i.AppendExtra)}); default stays {i.DefaultLabel}",
            Fingerprint.Of(release, i.Label, i.DefaultLabel, string.Join(' ', i.AppendExtra)),
            [.. KernelInstaller.ExtlinuxCommands(i.Extlinux, $"{i.Extlinux}.kernelsoak-<timestamp>", "<sha256 of the edited file>").Select(b.Ssh)],
            async ct =>
            {
                var backup = await (await Installer()).UpdateExtlinuxAsync(release, ct);
                return StepResult.Ok(backup is null ? null : new Dictionary<string, string> { ["backup"] = backup });
            }) { Group = "install/extlinux" };

        // The journal says what the board holds; one round trip confirms it still does.
        yield return new Step($"{prefix}/confirm", "the board still holds this install (one round trip)", "",
            [b.Ssh($"test -s {q(image)} && test -f {q(modulesDir + "/modules.dep")} && cat {q(i.Extlinux)}") + $"  (then: label {i.Label} boots {layout.BootRelative(image)})"],
            async ct =>
            {
                var ssh = await c.BoardAsync();
                var files = new[] { image, layout.DtbPath(release), layout.InitrdPath(release) }.OfType<string>().Select(f => $"test -s {q(f)} && ");
                var check = await ssh.RunAsync($"{string.Concat(files)}test -f {q(modulesDir + "/modules.dep")} && cat {q(i.Extlinux)}", TimeSpan.FromSeconds(30), ct);
                if (check.Succeeded && Boot.ExtlinuxQueries.BootsImage(check.Output, i.Label, layout.BootRelative(image))) return StepResult.Ok();
                c.Output.Warn("the board no longer holds what the journal recorded: installing again");
                var installer = await Installer();
                await installer.SyncModulesAsync(Manifest(), ct);
                await installer.CopyImageAsync(Manifest(), ct);
                await installer.CopyDtbAsync(Manifest(), ct);
                await installer.MakeInitramfsAsync(release, ct);
                await installer.UpdateExtlinuxAsync(release, ct);
                return StepResult.Ok();
            }) { AlwaysRun = true };
    }
}
