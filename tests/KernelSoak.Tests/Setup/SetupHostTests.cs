using System.Diagnostics;

namespace KernelSoak.Tests.Setup;

/// <summary>
/// scripts/setup-host.sh on a simulated fresh machine: dpkg-query, dpkg, apt-get and id are replaced on
/// PATH by stand-ins that behave like the real ones (dpkg-query exits 1 when a named package is unknown)
/// and record how they were called. The real script runs; only the machine is simulated.
/// </summary>
public class SetupHostTests
{
    private const string Packages = "gcc-aarch64-linux-gnu qemu-system-arm make";
    private string dir = "";

    [SetUp]
    public void MakeStandIns()
    {
        dir = Directory.CreateTempSubdirectory("ks-setup-").FullName;
        var bin = Directory.CreateDirectory(Path.Combine(dir, "bin")).FullName;
        // Like the real dpkg-query: a line per known package, exit 1 when any named one is unknown.
        Write(bin, "dpkg-query", """
            rc=0; shift 2
            for p in "$@"; do
              if grep -qx "$p" "$FAKE/installed"; then echo "ii  $p"; else echo "dpkg-query: no packages found matching $p" >&2; rc=1; fi
            done
            exit $rc
            """);
        Write(bin, "dpkg", """
            echo "dpkg $*" >> "$FAKE/calls"
            case "$1" in --print-foreign-architectures) cat "$FAKE/archs" ;; esac
            """);
        Write(bin, "apt-get", """
            echo "apt-get $*" >> "$FAKE/calls"
            if [ -e "$FAKE/apt-fails" ] && [ "$1" != update ]; then echo "E: Unable to locate package ${@: -1}" >&2; exit 100; fi
            """);
        Write(bin, "id", """[ "$1" = -u ] && cat "$FAKE/uid" || /usr/bin/id "$@" """);
        File.WriteAllText(Path.Combine(dir, "archs"), "arm64\n");
        File.WriteAllText(Path.Combine(dir, "uid"), "0\n");
        File.WriteAllText(Path.Combine(dir, "calls"), "");
    }

    [TearDown]
    public void Remove() => Directory.Delete(dir, recursive: true);

    [Test]
    public void Missing_packages_are_installed_exactly_and_the_script_goes_on()
    {
        Installed("make");
        var (exit, _, err) = Run();
        Assert.That(exit, Is.Zero, err);
        Assert.That(Calls(), Is.EqualTo(new[]
        {
            "dpkg --print-foreign-architectures",
            "apt-get update -qq",
            "apt-get install -y -q --no-install-recommends gcc-aarch64-linux-gnu qemu-system-arm",
        }));
    }

    [Test]
    public void All_present_makes_no_apt_call()
    {
        Installed("make", "gcc-aarch64-linux-gnu", "qemu-system-arm");
        var (exit, _, err) = Run();
        Assert.That(exit, Is.Zero, err);
        Assert.That(Calls(), Is.EqualTo(new[] { "dpkg --print-foreign-architectures" }));
    }

    [Test]
    public void Missing_arm64_architecture_is_added_even_with_every_package_there()
    {
        Installed("make", "gcc-aarch64-linux-gnu", "qemu-system-arm");
        File.WriteAllText(Path.Combine(dir, "archs"), "");
        var (exit, _, err) = Run();
        Assert.That(exit, Is.Zero, err);
        Assert.That(Calls(), Is.EqualTo(new[]
        {
            "dpkg --print-foreign-architectures", "dpkg --add-architecture arm64", "apt-get update -qq",
        }));
    }

    [Test]
    public void Not_root_prints_the_exact_command_and_installs_nothing()
    {
        Installed("make");
        File.WriteAllText(Path.Combine(dir, "archs"), "");
        File.WriteAllText(Path.Combine(dir, "uid"), "1000\n");
        var (exit, _, err) = Run();
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(err, Does.Contain("sudo dpkg --add-architecture arm64 && sudo apt-get update && " +
                                      "sudo apt-get install -y --no-install-recommends gcc-aarch64-linux-gnu qemu-system-arm"));
        Assert.That(Calls(), Has.None.StartsWith("apt-get"));
    }

    [Test]
    public void A_failing_apt_get_shows_its_error_and_the_failed_command()
    {
        Installed("make");
        File.WriteAllText(Path.Combine(dir, "apt-fails"), "");
        var (exit, _, err) = Run();
        Assert.That(exit, Is.Not.Zero);
        Assert.That(err, Does.Contain("E: Unable to locate package qemu-system-arm"));
        Assert.That(err, Does.Contain("setup-host.sh: line").And.Contain("apt-get install").And.Contain("failed (exit 100)"));
    }

    [Test]
    public void For_tests_adds_the_test_only_packages()
    {
        Installed("make", "gcc-aarch64-linux-gnu", "qemu-system-arm");
        var (exit, _, err) = Run("--for-tests");
        Assert.That(exit, Is.Zero, err);
        Assert.That(Calls().Last(), Is.EqualTo("apt-get install -y -q --no-install-recommends chromium ser2net"));
    }

    private void Installed(params string[] names) =>
        File.WriteAllLines(Path.Combine(dir, "installed"), names);

    private string[] Calls() =>
        File.ReadAllLines(Path.Combine(dir, "calls")).Select(l => l.TrimEnd()).ToArray();

    private (int Exit, string Out, string Err) Run(params string[] args)
    {
        var psi = new ProcessStartInfo("bash", [Path.Combine(Repo.Root, "scripts", "setup-host.sh"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["PATH"] = $"{Path.Combine(dir, "bin")}:/usr/bin:/bin";
        psi.Environment["FAKE"] = dir;
        psi.Environment["KS_HOST_PACKAGES"] = Packages;
        psi.Environment["KS_TEST_PACKAGES"] = "chromium ser2net";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.That(p.WaitForExit(30_000), Is.True, "setup-host.sh finished");
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private static void Write(string bin, string name, string body)
    {
        var path = Path.Combine(bin, name);
        File.WriteAllText(path, "#!/bin/bash\n" + body + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
