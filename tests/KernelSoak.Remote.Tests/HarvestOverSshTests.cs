using System.Security.Cryptography;
using KernelSoak.Soak;

namespace KernelSoak.Remote.Tests;

/// <summary>
/// The harvester against a real sshd and board-shaped pstore directories: records keep their board paths,
/// arrive byte for byte, and leave the board only once their copy verified — also when the host's disk fills up.
/// </summary>
[TestFixture]
public sealed class HarvestOverSshTests
{
    private ThrowawaySshd _sshd = null!;
    private string _board = "";
    private string _host = "";

    [OneTimeSetUp]
    public void StartDaemon() => _sshd = ThrowawaySshd.Start();

    [OneTimeTearDown]
    public void StopDaemon() => _sshd.Dispose();

    [SetUp]
    public void NewBoard()
    {
        _board = Directory.CreateTempSubdirectory("ks-pstore-board-").FullName;
        _host = Directory.CreateTempSubdirectory("ks-pstore-host-").FullName;
    }

    [TearDown]
    public void RemoveBoard()
    {
        Directory.Delete(_board, true);
        Directory.Delete(_host, true);
    }

    private string Ramoops => Path.Combine(_board, "sys", "fs", "pstore");
    private string Systemd => Path.Combine(_board, "var", "lib", "systemd", "pstore");
    private HarvestSources Sources => new([], [Ramoops, Systemd]);

    private string OnBoard(string root, string relative, byte[] content)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static string HostPath(string harvest, string boardPath) => Path.Combine(harvest, "pstore", boardPath.TrimStart('/'));

    [Test]
    public async Task Two_systemd_records_named_dmesg_txt_stay_two_files_and_an_existing_file_is_never_replaced()
    {
        var first = OnBoard(Systemd, "1733040000000000/dmesg.txt", "crash one\n"u8.ToArray());
        var second = OnBoard(Systemd, "1733049999000000/dmesg.txt", "crash two\n"u8.ToArray());
        var harvest = Path.Combine(_host, "harvest");
        // An earlier harvest kept another record under the first one's name: it must survive.
        Directory.CreateDirectory(Path.GetDirectoryName(HostPath(harvest, first))!);
        File.WriteAllText(HostPath(harvest, first), "an earlier crash\n");

        using var ssh = await SshTarget.ConnectAsync(_sshd.Endpoint());
        var files = await Harvester.HarvestAsync(ssh, harvest, Sources);

        Assert.That(files.Select(f => f.LocalPath).Distinct().Count(), Is.EqualTo(2), "one host file per board record");
        Assert.That(File.ReadAllText(HostPath(harvest, first)), Is.EqualTo("an earlier crash\n"), "the existing file is kept");
        var firstCopy = files.Single(f => f.RemotePath == first).LocalPath;
        Assert.That(firstCopy, Is.EqualTo(Path.ChangeExtension(HostPath(harvest, first), ".1.txt")));
        Assert.That(File.ReadAllText(firstCopy), Is.EqualTo("crash one\n"));
        Assert.That(File.ReadAllText(HostPath(harvest, second)), Is.EqualTo("crash two\n"));
        Assert.That(files.All(f => f.Erased) && !File.Exists(first) && !File.Exists(second), Is.True, "both verified, then erased");
    }

    [Test]
    public async Task Binary_records_arrive_byte_for_byte_and_are_erased_only_then()
    {
        var binary = new byte[] { 0x00, 0xFF, 0xFE, 0xC3, 0x28, 0x0D, 0x0A, 0x0D, 0x0A, 0x80, 0x00, 0x1F, 0x8B, 0x08 }
            .Concat(RandomNumberGenerator.GetBytes(2000)).Concat("\r\nend without newline"u8.ToArray()).ToArray();
        var compressed = OnBoard(Ramoops, "dmesg-ramoops-0.enc.z", binary);
        var textBytes = "[ 1.0] line\r\n[ 2.0] \u00e9t\u00e9\n"u8.ToArray();
        var text = OnBoard(Ramoops, "console-ramoops-0", textBytes);

        using var ssh = await SshTarget.ConnectAsync(_sshd.Endpoint());
        var files = await Harvester.HarvestAsync(ssh, _host, Sources);

        Assert.That(File.ReadAllBytes(HostPath(_host, compressed)), Is.EqualTo(binary), "the exact bytes: NUL, 0xFF, invalid UTF-8, CRLF");
        Assert.That(File.ReadAllBytes(HostPath(_host, text)), Is.EqualTo(textBytes), "CRLF and UTF-8 kept as they are");
        Assert.That(files, Has.Count.EqualTo(2).And.All.Matches<HarvestedFile>(f => f.Erased));
        Assert.That(Directory.EnumerateFiles(Ramoops), Is.Empty);
        Assert.That(Directory.EnumerateFiles(_host, "*.partial", SearchOption.AllDirectories), Is.Empty);
    }

    [Test]
    public async Task A_full_host_disk_erases_nothing_unverified_and_says_so()
    {
        var records = Enumerable.Range(0, 3).Select(i => OnBoard(Ramoops, $"dmesg-ramoops-{i}", RandomNumberGenerator.GetBytes(5000))).ToList();
        var opened = 0;
        // The first copy lands on a real file; from the second on, every write gets the kernel's ENOSPC (/dev/full).
        Stream FillingUp(string path) => Interlocked.Increment(ref opened) == 1
            ? new FileStream(path, FileMode.CreateNew, FileAccess.Write)
            : new FileStream("/dev/full", FileMode.Open, FileAccess.Write);

        using var ssh = await SshTarget.ConnectAsync(_sshd.Endpoint());
        var e = Assert.ThrowsAsync<HarvestException>(() => Harvester.HarvestAsync(ssh, _host, Sources, createFile: FillingUp));

        Assert.That(e!.Message, Does.Contain("still on the board").And.Contain(_host));
        Assert.That(e.InnerException, Is.InstanceOf<IOException>().With.Message.Contains("No space left on device"),
            "the kernel's ENOSPC, kept as the inner exception: what InfraTrouble retries a probe for");
        var left = records.Where(File.Exists).ToList();
        Assert.That(left, Has.Count.EqualTo(2), "the one verified copy was erased, nothing else");
        var gone = records.Except(left).Single();
        Assert.That(File.ReadAllBytes(HostPath(_host, gone)), Has.Length.EqualTo(5000), "and that one is on the host");
        Assert.That(Directory.EnumerateFiles(_host, "*", SearchOption.AllDirectories).Count(), Is.EqualTo(1), "no partial copy left behind");

        // Space again: the next harvest takes the rest, on a new session as a retried probe's is (the run drops the
        // session a failed step leaves: SSH.NET can still send on the channel the failed copy abandoned, and OpenSSH
        // then closes the whole connection, "data packet referred to nonexistent channel").
        using var again = await SshTarget.ConnectAsync(_sshd.Endpoint());
        var files = await Harvester.HarvestAsync(again, _host, Sources);
        Assert.That(files.Where(f => f.Erased).Select(f => f.RemotePath), Is.EquivalentTo(left));
        Assert.That(records.Where(File.Exists), Is.Empty);
    }

    [Test]
    public async Task A_copy_that_times_out_kills_its_remote_command()
    {
        var marker = $"{Random.Shared.Next(100000, 999999)}.5";
        using var ssh = await SshTarget.ConnectAsync(_sshd.Endpoint());
        using var sink = new MemoryStream();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.ThrowsAsync<TimeoutException>(() => ssh.CopyOutputAsync($"echo partial; sleep {marker}", sink, TimeSpan.FromSeconds(1)));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)), "bounded: the timeout, then at most 5 s for the hang-up");
        // [p]: the pattern does not match the shell that runs pgrep. The kill is asynchronous: give a loaded host time.
        string Left() => ThrowawaySshd.Run("sh", "-c", $"pgrep -f 'slee[p] {marker}' || true").Trim();
        for (var i = 0; i < 30 && Left().Length > 0; i++) await Task.Delay(500);
        Assert.That(Left(), Is.Empty, "no remote process outlives the copy (the sleep alone would run for days)");
    }
}
