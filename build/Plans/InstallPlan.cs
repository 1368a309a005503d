using KernelSoak.Campaigns;
using KernelSoak.Deploy;
using KernelSoak.Journal;
using KernelSoak.Kernel;
using KernelSoak.Steps;

namespace KernelSoak.Build.Plans;

/// <summary>Put a built kernel on the board (the seed plan's steps 1.4–1.7), verified and idempotent.</summary>
public static class InstallPlan
{
    public static InstallLayout Layout(BuildContext c) => new(c.Campaign.Install.BootDir, c.Campaign.Install.Extlinux, c.Campaign.Install.Image,
        c.Campaign.Install.Label, c.Campaign.Install.DefaultLabel, c.Campaign.Install.AppendExtra, c.Campaign.Install.MinFreeMb);

    public static IEnumerable<Step> Steps(BuildContext c, string prefix = "install")
    {
        var i = c.Campaign.Install;
        var b = c.Board;
        var manifest = File.Exists(c.ManifestPath) ? BuildManifest.Load(c.ManifestPath) : null;
        var release = manifest?.Release ?? PlanText.Release(c);
        var layout = Layout(c);
        var image = layout.ImagePath(release);
        var staging = manifest?.ModulesDir ?? Path.Combine(c.Kernel.BuildDir, "staging", "lib", "modules", release);
        async Task<KernelInstaller> Installer() => new(await c.BoardAsync(), layout, c.Output.Info);
        BuildManifest Manifest() => manifest ?? throw new Cake.Frosting.UserErrorException($"no build manifest at {c.ManifestPath}: run CompileKernel first (without --exclusive)");

        yield return new Step($"{prefix}/modules", $"sync /lib/modules/{release}: changed files only, in one tar stream; stale files removed; depmod; hashes verified",
            Fingerprint.Of(release, string.Join('\n', manifest?.Modules.Select(m => m.RelativePath + m.Sha256) ?? [])),
            [$"tar -C {staging} -cf - <changed files> | {b.Ssh($"tar -C /lib/modules/.ks-incoming-{release} -xf - && mv … /lib/modules/{release}/")}", b.Ssh($"depmod {release}")],
            async ct => { var r = await (await Installer()).SyncModulesAsync(Manifest(), ct); return StepResult.Ok(new Dictionary<string, string> { ["sent"] = r.Sent.ToString(System.Globalization.CultureInfo.InvariantCulture) }); })
            { Group = "install/modules" };

        yield return new Step($"{prefix}/image", $"Image → {image} (temp name, sync, rename; sha256 checked on the board)", manifest?.Image.Sha256 ?? "",
            [$"{b.Ssh($"cat > {image}.ks-tmp && sync && mv {image}.ks-tmp {image}")} < {manifest?.Image.Path ?? "arch/…/boot/Image"}", b.Ssh($"sha256sum {image}")],
            async ct => { await (await Installer()).CopyImageAsync(Manifest(), ct); return StepResult.Ok(new Dictionary<string, string> { ["image"] = image }); })
            { Group = "install/image" };

        const string later = "DTB and initramfs install (issue: Preflight + InstallKernel)";
        if (i.Dtb.Length > 0)
        {
            var dtb = PlanText.BootFile(c, i.DtbName, release);
            yield return Step.Pending($"{prefix}/dtb", $"copy {Path.GetFileName(i.Dtb)} to {dtb}", later,
                $"{b.Ssh($"cat > {dtb}.ks-tmp && sync && mv {dtb}.ks-tmp {dtb}")} < {Path.Combine(c.Kernel.BuildDir, "arch", c.Campaign.Kernel.Arch, "boot", "dts", i.Dtb)}");
        }
        if (i.Initramfs != InitramfsTool.None)
        {
            var initrd = PlanText.BootFile(c, i.InitramfsName, release);
            yield return Step.Pending($"{prefix}/initramfs", $"initramfs for {release}", later, b.Ssh(i.Initramfs switch
            {
                InitramfsTool.Mkinitcpio => $"mkinitcpio -k {release} -g {initrd}",
                InitramfsTool.Dracut => $"dracut --force --kver {release} {initrd}",
                _ => $"update-initramfs -c -k {release} -b {i.BootDir}",
            }));
        }

        yield return new Step($"{prefix}/extlinux", $"label {i.Label} → {release} (append = {i.DefaultLabel}'s + {string.Join(' ', i.AppendExtra)}); default stays {i.DefaultLabel}",
            Fingerprint.Of(release, i.Label, i.DefaultLabel, string.Join(' ', i.AppendExtra)),
            [b.Ssh($"cp {i.Extlinux} {i.Extlinux}.kernelsoak-<timestamp>"), $"{b.Ssh($"cat > {i.Extlinux}.ks-tmp && sync && mv {i.Extlinux}.ks-tmp {i.Extlinux}")} < <edited extlinux.conf>"],
            async ct =>
            {
                var backup = await (await Installer()).UpdateExtlinuxAsync(release, null, ct);
                return StepResult.Ok(backup is null ? null : new Dictionary<string, string> { ["backup"] = backup });
            }) { Group = "install/extlinux" };

        // The journal says what the board holds; one round trip confirms it still does.
        yield return new Step($"{prefix}/confirm", "the board still holds this install (one round trip)", "",
            [b.Ssh($"test -s {image} && test -d /lib/modules/{release} && grep -q 'label {i.Label}' {i.Extlinux}")],
            async ct =>
            {
                var ssh = await c.BoardAsync();
                var check = await ssh.RunAsync($"test -s {image} && test -f /lib/modules/{release}/modules.dep && grep -q '^label {i.Label}' {i.Extlinux} && grep -q 'kernel /{Path.GetFileName(image)}' {i.Extlinux}", TimeSpan.FromSeconds(30), ct);
                if (check.Succeeded) return StepResult.Ok();
                c.Output.Warn("the board no longer holds what the journal recorded: installing again");
                var installer = await Installer();
                await installer.SyncModulesAsync(Manifest(), ct);
                await installer.CopyImageAsync(Manifest(), ct);
                await installer.UpdateExtlinuxAsync(release, null, ct);
                return StepResult.Ok();
            }) { AlwaysRun = true };
    }
}
