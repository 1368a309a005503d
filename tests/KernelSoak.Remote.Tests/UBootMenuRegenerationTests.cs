using System.Diagnostics;
using KernelSoak.Boot;

namespace KernelSoak.Remote.Tests;

/// <summary>
/// Debian's own u-boot-menu (4.2.2, with linux-base's linux-version) run as a kernel package install runs
/// it: on a /boot (a tmpfs in a private mount namespace) holding a Debian kernel and KernelSoak's install
/// (its image and the label added to the generated file, as the installer adds it). What
/// <see cref="UBootUpdate"/> predicts is what the regeneration does.
/// </summary>
[NonParallelizable]
public class UBootMenuRegenerationTests
{
    private const string Debian = "6.1.0-28-arm64";
    private const string Test = "6.12.0-ks";
    private string _dir = null!;
    private static string? _scripts;

    [OneTimeSetUp]
    public void FetchU_boot_menu()
    {
        if (Environment.UserName != "root") Assert.Ignore("u-boot-update needs root (and a private mount namespace for /boot)");
        var debs = Path.Combine(Path.GetTempPath(), "ks-u-boot-menu");
        Directory.CreateDirectory(debs);
        if (!File.Exists(Path.Combine(debs, "root", "usr", "sbin", "u-boot-update")))
        {
            var (exit, output) = Run("sh", "-c", $"cd {debs} && apt-get download u-boot-menu linux-base && for d in *.deb; do dpkg-deb -x $d root; done");
            if (exit != 0) Assert.Ignore($"could not fetch Debian's u-boot-menu and linux-base (apt-get download): {output}");
        }
        _scripts = Path.Combine(debs, "root");
    }

    [SetUp]
    public void MakeDir() => _dir = Directory.CreateTempSubdirectory("ks-ubm-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    /// <summary>Runs u-boot-update on a /boot holding <paramref name="boot"/>'s files; returns the extlinux.conf it wrote.</summary>
    private string Regenerate(string boot)
    {
        var output = Path.Combine(_dir, "out.conf");
        var script = string.Join("; ",
            "set -e",
            "mount -t tmpfs tmpfs /boot",
            $"cp -a {boot}/. /boot/",
            // The host's own u-boot-menu settings, if any, must not leak in.
            "if [ -e /etc/default/u-boot ]; then mount --bind /dev/null /etc/default/u-boot; fi",
            $"PATH={_scripts}/usr/bin:{_scripts}/usr/sbin:$PATH PERL5LIB={_scripts}/usr/share/perl5 U_BOOT_ROOT=root=/dev/vda2 u-boot-update",
            $"cp /boot/extlinux/extlinux.conf {output}");
        var (exit, log) = Run("unshare", "--mount", "--propagation", "private", "sh", "-c", script);
        Assert.That(exit, Is.Zero, log);
        return File.ReadAllText(output);
    }

    /// <summary>A /boot with a Debian kernel, its extlinux.conf from u-boot-update, then KernelSoak's install named <paramref name="image"/>.</summary>
    private (string Boot, string Installed) DebianBootWithOurInstall(string image)
    {
        var boot = Directory.CreateDirectory(Path.Combine(_dir, "boot")).FullName;
        File.WriteAllText(Path.Combine(boot, $"vmlinuz-{Debian}"), "debian kernel");
        File.WriteAllText(Path.Combine(boot, $"initrd.img-{Debian}"), "debian initrd");
        var generated = Regenerate(boot);
        Directory.CreateDirectory(Path.Combine(boot, "extlinux"));
        File.WriteAllText(Path.Combine(boot, image), "test kernel");
        var known = ExtlinuxConfig.Parse(generated).Labels[0];
        var installed = ExtlinuxConfig.Parse(generated)
            .WithLabel(new ExtlinuxLabel("kernelsoak") { MenuLabel = $"kernelsoak ({Test}, KernelSoak)", Kernel = "/" + image, Append = known.Append + " panic=10" }).Render();
        File.WriteAllText(Path.Combine(boot, "extlinux", "extlinux.conf"), installed);
        return (boot, installed);
    }

    [Test]
    public void A_kernel_package_install_drops_our_label_and_keeps_the_Debian_default_as_preflight_says()
    {
        var (boot, installed) = DebianBootWithOurInstall($"Image-{Test}");
        var finding = UBootUpdate.Check(installed, [$"/boot/Image-{Test}"]);
        Assert.That(finding.Generated, Is.True, "u-boot-update's own file is recognised");
        Assert.That(finding.Strands, Is.False);
        Assert.That(ExtlinuxConfig.Parse(installed).Labels.Select(l => l.Name), Does.Contain("kernelsoak"));

        var after = ExtlinuxConfig.Parse(Regenerate(boot));
        Assert.That(after.Labels.Select(l => l.Name), Does.Not.Contain("kernelsoak"), "the regeneration dropped our label, as the finding says");
        Assert.That(after.DefaultLabel!.Kernel, Is.EqualTo($"/vmlinuz-{Debian}"), "the board still boots the Debian kernel by default");
    }

    [Test]
    public void A_test_kernel_named_vmlinuz_in_boot_becomes_the_default_at_the_next_regeneration_which_preflight_refuses()
    {
        var (boot, installed) = DebianBootWithOurInstall($"vmlinuz-{Test}");
        var finding = UBootUpdate.Check(installed, [$"/boot/vmlinuz-{Test}"]);
        Assert.That(finding.Strands, Is.True, finding.Detail("kernelsoak"));

        var after = ExtlinuxConfig.Parse(Regenerate(boot));
        Assert.That(after.DefaultLabel!.Kernel, Is.EqualTo($"/vmlinuz-{Test}"),
            "u-boot-update made the test kernel l0, the default: a panicking test kernel would strand the board, which is why the name is refused");
    }

    private static (int Exit, string Output) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }
}
