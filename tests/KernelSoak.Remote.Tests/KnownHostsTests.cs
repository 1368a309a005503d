using System.Security.Cryptography;
using System.Text;

namespace KernelSoak.Remote.Tests;

/// <summary>known_hosts as OpenSSH reads it: @revoked honoured against a real sshd, unreadable lines named by file and line.</summary>
[TestFixture]
public sealed class KnownHostsTests
{
    private ThrowawaySshd _sshd = null!;

    [OneTimeSetUp]
    public void StartDaemon() => _sshd = ThrowawaySshd.Start();

    [OneTimeTearDown]
    public void StopDaemon() => _sshd.Dispose();

    private string HostKeyLine => File.ReadAllText(_sshd.HostKey + ".pub").Trim();   // "ssh-ed25519 AAAA… comment"
    private string HostKeyTypeAndKey => string.Join(' ', HostKeyLine.Split(' ')[..2]);
    private string Name => $"[127.0.0.1]:{_sshd.Port}";

    private string KnownHostsWith(params string[] lines)
    {
        var path = Path.Combine(_sshd.Dir, $"known_hosts-{Guid.NewGuid():N}");
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    [Test]
    public async Task A_revoked_key_is_refused_even_with_a_plain_entry_and_the_refusal_names_the_line()
    {
        var file = KnownHostsWith($"{Name} {HostKeyTypeAndKey}", "# retired after the board's SD card went missing", $"@revoked * {HostKeyTypeAndKey}");
        var e = Assert.ThrowsAsync<RevokedHostKeyException>(() => SshTarget.ConnectAsync(_sshd.Endpoint() with { KnownHostsFile = file }));
        Assert.That(e!.Message, Does.Contain(file + " line 3").And.Contain("@revoked").And.Contain(_sshd.HostKeyFingerprint));

        // Revoked for another host only: this one connects.
        var elsewhere = KnownHostsWith($"{Name} {HostKeyTypeAndKey}", $"@revoked otherboard,!{Name} {HostKeyTypeAndKey}");
        using (await SshTarget.ConnectAsync(_sshd.Endpoint() with { KnownHostsFile = elsewhere })) { }
    }

    [Test]
    public void Trust_on_first_use_never_records_a_revoked_key()
    {
        var file = KnownHostsWith($"@revoked [127.0.0.1]:* {HostKeyTypeAndKey}");
        Assert.ThrowsAsync<RevokedHostKeyException>(() => SshTarget.ConnectAsync(_sshd.Endpoint() with { KnownHostsFile = file, TrustOnFirstUse = true }));
        Assert.That(File.ReadAllLines(file), Has.Length.EqualTo(1), "nothing appended");
    }

    [TestCase("|1|not*base64!|AAAA")]
    [TestCase("|1|c2FsdA==")]
    [TestCase("|2|c2FsdA==|aGFzaA==")]
    public void A_malformed_hashed_entry_is_a_clear_error_with_file_and_line(string pattern)
    {
        var file = KnownHostsWith("# boards", $"{pattern} {HostKeyTypeAndKey}");
        var e = Assert.ThrowsAsync<KnownHostsException>(() => SshTarget.ConnectAsync(_sshd.Endpoint() with { KnownHostsFile = file }));
        Assert.That(e!.Message, Does.Contain($"{file} line 2").And.Contain("malformed").And.Contain(pattern));
        Assert.That(e.Line, Is.EqualTo(2));
    }

    [Test]
    public void A_hashed_wildcard_and_negated_entries_match_as_in_OpenSSH()
    {
        var salt = RandomNumberGenerator.GetBytes(20);
        using var hmac = new HMACSHA1(salt);
        var hashed = $"|1|{Convert.ToBase64String(salt)}|{Convert.ToBase64String(hmac.ComputeHash(Encoding.ASCII.GetBytes("board.lab")))}";
        var file = KnownHostsWith($"{hashed} ssh-ed25519 AAAA", "*.lab,!printer.lab ssh-rsa BBBB", "@cert-authority *.lab ssh-ed25519 CCCC");
        Assert.That(KnownHosts.Find(file, "board.lab").Known.Select(k => k.Line), Is.EqualTo(new[] { 1, 2 }));
        Assert.That(KnownHosts.Find(file, "printer.lab").Known, Is.Empty);
        Assert.That(KnownHosts.Find(file, "other").Known, Is.Empty);
    }

    [Test]
    public void An_unreadable_revocation_or_an_unknown_marker_is_an_error_not_a_skipped_line()
    {
        var shortRevoked = KnownHostsWith("@revoked *");
        Assert.That(Assert.Throws<KnownHostsException>(() => KnownHosts.Find(shortRevoked, "x"))!.Message, Does.Contain("line 1"));
        var typo = KnownHostsWith("host ssh-ed25519 AAAA", "@revokd * ssh-ed25519 AAAA");
        Assert.That(Assert.Throws<KnownHostsException>(() => KnownHosts.Find(typo, "x"))!.Message, Does.Contain("line 2").And.Contain("@revokd"));
    }
}
