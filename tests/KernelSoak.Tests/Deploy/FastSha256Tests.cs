using System.Diagnostics;
using System.Security.Cryptography;
using KernelSoak.Deploy;
using KernelSoak.Processes;

namespace KernelSoak.Tests.Deploy;

/// <summary>
/// The board-side hasher built with the real arm64 cross compiler and run under qemu-aarch64 (user mode):
/// it must print what sha256sum prints for every padding case and across its 1 MiB reads, and write what
/// it receives exactly.
/// </summary>
public class FastSha256Tests
{
    private string _dir = null!;

    [SetUp]
    public void Make() => _dir = Directory.CreateTempSubdirectory("ks-sha256-").FullName;

    [TearDown]
    public void Remove() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task It_hashes_as_sha256sum_does_for_every_padding_case_and_across_reads()
    {
        var log = new RecordingCommandLog();
        var binary = await FastSha256.BuildAsync("aarch64-linux-gnu-", Path.Combine(_dir, "cache"), new CommandRunner(log));
        Assert.That(binary, Is.Not.Null, string.Join('\n', log.Lines));
        Assert.That(log.Lines.Single(), Does.StartWith("aarch64-linux-gnu-gcc -O2 -march=armv8-a+crypto -static -nostdlib"), "the exact command line is logged");
        Assert.That(new FileInfo(binary!).Length, Is.LessThan(16 * 1024), "small enough to send before every cold copy");
        Assert.That(await FastSha256.BuildAsync("aarch64-linux-gnu-", Path.Combine(_dir, "cache"), new CommandRunner(log)), Is.EqualTo(binary));
        Assert.That(log.Lines, Has.Count.EqualTo(1), "built once per source");

        var random = new Random(7);
        var sizes = new[] { 0, 1, 3, 55, 56, 63, 64, 65, 119, 120, 128, (1 << 20) - 1, 1 << 20, (1 << 20) + 57, 3 * (1 << 20) + 5 };
        var files = sizes.Select(n =>
        {
            var bytes = new byte[n];
            random.NextBytes(bytes);
            var path = Path.Combine(_dir, $"f{n}");
            File.WriteAllBytes(path, bytes);
            return (path, expected: Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }).ToList();
        var psi = new ProcessStartInfo("qemu-aarch64", [binary!, .. files.Select(f => f.path)]) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.That(p.ExitCode, Is.Zero);
        Assert.That(output, Is.EqualTo(string.Concat(files.Select(f => $"{f.expected}  {f.path}\n"))));
    }

    [Test]
    public async Task Receiving_writes_stdin_byte_for_byte_and_prints_the_hash_of_what_it_wrote()
    {
        var binary = await FastSha256.BuildAsync("aarch64-linux-gnu-", _dir, new CommandRunner(new RecordingCommandLog()));
        var random = new Random(11);
        foreach (var n in new[] { 0, 1, 63, 64, 65, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 2 * (1 << 20) + 4097 })
        {
            var bytes = new byte[n];
            random.NextBytes(bytes);
            var target = Path.Combine(_dir, $"received-{n}");
            var (code, output, error) = await RunAsync(binary!, ["-o", target], bytes);
            Assert.That((code, error), Is.EqualTo((0, "")), $"{n} bytes");
            Assert.That(output, Is.EqualTo($"{Convert.ToHexStringLower(SHA256.HashData(bytes))}  {target}\n"), $"{n} bytes");
            Assert.That(File.ReadAllBytes(target), Is.EqualTo(bytes), $"{n} bytes");
        }
    }

    [Test]
    public async Task A_receive_that_cannot_write_everything_says_why_and_prints_no_hash()
    {
        var binary = await FastSha256.BuildAsync("aarch64-linux-gnu-", _dir, new CommandRunner(new RecordingCommandLog()));
        var (code, output, error) = await RunAsync(binary!, ["-o", "/dev/full"], new byte[100_000]);
        Assert.That((code, output), Is.EqualTo((1, "")));
        Assert.That(error, Is.EqualTo("ks-sha256: writing /dev/full: No space left on device\n"), "the words the installer looks for");
        (code, output, error) = await RunAsync(binary!, ["-o", Path.Combine(_dir, "no-such-dir", "x")], [1, 2, 3]);
        Assert.That((code, output), Is.EqualTo((1, "")));
        Assert.That(error, Does.Contain("cannot create").And.Contain("No such file or directory"));
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string binary, string[] arguments, byte[] input)
    {
        var psi = new ProcessStartInfo("qemu-aarch64", [binary, .. arguments]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        try
        {
            await p.StandardInput.BaseStream.WriteAsync(input);
            p.StandardInput.Close();
        }
        catch (IOException)
        {
            // it stopped reading (a failed write): what it says is the point
        }
        await p.WaitForExitAsync();
        return (p.ExitCode, await output, await error);
    }

    [Test]
    public async Task A_file_it_cannot_read_is_a_failure_not_a_hash()
    {
        var binary = await FastSha256.BuildAsync("aarch64-linux-gnu-", _dir, new CommandRunner(new RecordingCommandLog()));
        using var p = Process.Start(new ProcessStartInfo("qemu-aarch64", [binary!, Path.Combine(_dir, "missing")]) { RedirectStandardOutput = true })!;
        Assert.That(await p.StandardOutput.ReadToEndAsync(), Is.Empty);
        await p.WaitForExitAsync();
        Assert.That(p.ExitCode, Is.EqualTo(1));
    }

    [Test]
    public async Task No_such_compiler_means_no_helper()
    {
        Assert.That(await FastSha256.BuildAsync("no-such-triplet-", _dir, new CommandRunner(new RecordingCommandLog())), Is.Null);
    }
}
