using System.Diagnostics;

namespace KernelSoak.Remote.Tests;

/// <summary>
/// Keys held by a real OpenSSH ssh-agent (started here on its own socket) offered by SSH.NET to a real
/// sshd: the board's login with no key file on disk, RSA as rsa-sha2, the agent's keys before the file's,
/// and what a user is told when the agent has nothing or is not there.
/// </summary>
[TestFixture]
public sealed class SshAgentTests
{
    private ThrowawaySshd _sshd = null!;
    private Process _agent = null!;
    private string _socket = null!;

    [OneTimeSetUp]
    public void StartDaemonAndAgent()
    {
        _sshd = ThrowawaySshd.Start();
        _socket = Path.Combine(_sshd.Dir, "agent.sock");
        _agent = Process.Start(new ProcessStartInfo("ssh-agent", ["-D", "-a", _socket]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        for (var i = 0; i < 100 && !File.Exists(_socket); i++) Thread.Sleep(50);
        Assert.That(File.Exists(_socket), Is.True, "ssh-agent made its socket");
    }

    [OneTimeTearDown]
    public void StopThem()
    {
        _agent.Kill();
        _agent.Dispose();
        _sshd.Dispose();
    }

    [SetUp]
    public void EmptyTheAgent() => Agent("ssh-add", "-D");

    private string Agent(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["SSH_AUTH_SOCK"] = _socket;
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.Zero, $"{tool} {string.Join(' ', args)}: {output}");
        return output;
    }

    private string NewKey(string type, bool authorized)
    {
        var key = Path.Combine(_sshd.Dir, $"agent_{type}_{Guid.NewGuid():N}");
        ThrowawaySshd.Run("ssh-keygen", "-q", "-t", type, "-N", "", "-f", key, "-C", Path.GetFileName(key));
        if (authorized) File.AppendAllText(Path.Combine(_sshd.Dir, "authorized_keys"), File.ReadAllText(key + ".pub"));
        return key;
    }

    private SshEndpoint AgentOnly => _sshd.Endpoint() with { IdentityFile = Path.Combine(_sshd.Dir, "no-such-key"), AgentSocket = _socket };

    [TestCase("ed25519")]
    [TestCase("rsa")]
    [TestCase("ecdsa")]
    public async Task A_key_only_the_agent_holds_logs_in(string type)
    {
        var key = NewKey(type, authorized: true);
        Agent("ssh-add", key);
        File.Delete(key); // the key is nowhere on disk now: only the agent can sign
        using var ssh = await SshTarget.ConnectAsync(AgentOnly);
        Assert.That((await ssh.RunAsync("echo signed by the agent")).Output, Is.EqualTo("signed by the agent\n"));
    }

    [Test]
    public async Task A_key_the_board_refuses_in_the_agent_does_not_stop_the_key_file()
    {
        Agent("ssh-add", NewKey("ed25519", authorized: false));
        using var ssh = await SshTarget.ConnectAsync(_sshd.Endpoint() with { AgentSocket = _socket });
        Assert.That((await ssh.RunAsync("echo file key")).Output, Is.EqualTo("file key\n"));
    }

    [Test]
    public void An_empty_agent_and_no_key_file_say_both()
    {
        var e = Assert.ThrowsAsync<FileNotFoundException>(() => SshTarget.ConnectAsync(AgentOnly));
        Assert.That(e!.Message, Does.Contain($"the ssh-agent at {_socket} holds none").And.Contain("no-such-key"));
    }

    [Test]
    public void No_agent_at_the_socket_says_how_to_start_one()
    {
        var e = Assert.ThrowsAsync<SshAgentException>(() => SshTarget.ConnectAsync(AgentOnly with { AgentSocket = Path.Combine(_sshd.Dir, "gone.sock") }));
        Assert.That(e!.Message, Does.Contain("no ssh-agent answers at").And.Contain("ssh-add"));
        var unset = Assert.ThrowsAsync<SshAgentException>(() => SshTarget.ConnectAsync(AgentOnly with { AgentSocket = "" }));
        Assert.That(unset!.Message, Does.Contain("SSH_AUTH_SOCK is not set"));
    }
}
