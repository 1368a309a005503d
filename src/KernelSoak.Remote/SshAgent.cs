using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Security;

namespace KernelSoak.Remote;

/// <summary>
/// A client of OpenSSH's agent (draft-miller-ssh-agent): the keys it holds and signatures made with them,
/// so a key that lives in the agent (a passphrase-protected or hardware-backed one) never has to be a
/// file KernelSoak reads. SSH.NET has no agent support; its public-key authentication takes any
/// <see cref="IPrivateKeySource"/>, which is what <see cref="Keys"/> gives.
/// </summary>
public sealed class SshAgent(string socketPath)
{
    private const byte Failure = 5, RequestIdentities = 11, IdentitiesAnswer = 12, SignRequest = 13, SignResponse = 14;
    private const uint RsaSha2_256 = 2, RsaSha2_512 = 4;

    public string SocketPath { get; } = socketPath;

    /// <summary>The agent at $SSH_AUTH_SOCK, or null when none is set.</summary>
    public static SshAgent? FromEnvironment() =>
        Environment.GetEnvironmentVariable("SSH_AUTH_SOCK") is { Length: > 0 } path ? new SshAgent(path) : null;

    /// <summary>One key source per key the agent holds, in the agent's order (OpenSSH offers them the same way).</summary>
    public IReadOnlyList<IPrivateKeySource> Keys()
    {
        var answer = Exchange([RequestIdentities]);
        if (answer[0] != IdentitiesAnswer) throw new SshAgentException($"the ssh-agent at {SocketPath} would not list its keys (answer {answer[0]})");
        var reader = new Reader(answer, 1);
        var count = reader.UInt32();
        var keys = new List<IPrivateKeySource>();
        for (var i = 0; i < count; i++)
        {
            var blob = reader.Bytes();
            var comment = Encoding.UTF8.GetString(reader.Bytes());
            var type = Encoding.ASCII.GetString(new Reader(blob, 0).Bytes());
            // An RSA key signs as rsa-sha2-512/256 (what servers accept today), never as SHA-1 ssh-rsa.
            HostAlgorithm[] algorithms = type == "ssh-rsa"
                ? [new AgentKeyAlgorithm(this, "rsa-sha2-512", blob, RsaSha2_512), new AgentKeyAlgorithm(this, "rsa-sha2-256", blob, RsaSha2_256)]
                : [new AgentKeyAlgorithm(this, type, blob, 0)];
            keys.Add(new AgentKey(comment, algorithms));
        }
        return keys;
    }

    /// <summary>The agent's signature blob (algorithm name + signature) over <paramref name="data"/>.</summary>
    public byte[] Sign(byte[] keyBlob, byte[] data, uint flags)
    {
        var request = new List<byte> { SignRequest };
        AppendBytes(request, keyBlob);
        AppendBytes(request, data);
        AppendUInt32(request, flags);
        var answer = Exchange([.. request]);
        if (answer[0] == Failure) throw new SshAgentException($"the ssh-agent at {SocketPath} refused to sign (a key that asks for confirmation, or one locked since)");
        if (answer[0] != SignResponse) throw new SshAgentException($"the ssh-agent at {SocketPath} answered a signature request with message {answer[0]}");
        return new Reader(answer, 1).Bytes();
    }

    private byte[] Exchange(byte[] request)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(SocketPath));
        }
        catch (SocketException e)
        {
            throw new SshAgentException($"no ssh-agent answers at {SocketPath} ({e.Message}): start one (eval $(ssh-agent); ssh-add) or set [Board] Agent = false", e);
        }
        var frame = new byte[4 + request.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)request.Length);
        request.CopyTo(frame, 4);
        socket.Send(frame);
        var length = BinaryPrimitives.ReadUInt32BigEndian(Receive(socket, 4));
        if (length is 0 or > 256 * 1024) throw new SshAgentException($"the ssh-agent at {SocketPath} sent a message of {length} bytes");
        return Receive(socket, (int)length);
    }

    private static byte[] Receive(Socket socket, int count)
    {
        var buffer = new byte[count];
        for (var at = 0; at < count;)
        {
            var n = socket.Receive(buffer, at, count - at, SocketFlags.None);
            if (n == 0) throw new SshAgentException("the ssh-agent closed the connection mid-answer");
            at += n;
        }
        return buffer;
    }

    private static void AppendUInt32(List<byte> to, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        to.AddRange(b);
    }

    private static void AppendBytes(List<byte> to, byte[] value)
    {
        AppendUInt32(to, (uint)value.Length);
        to.AddRange(value);
    }

    /// <summary>SSH wire format: big-endian uint32 and length-prefixed strings.</summary>
    private sealed class Reader(byte[] data, int at)
    {
        public uint UInt32()
        {
            if (at + 4 > data.Length) throw new SshAgentException("the ssh-agent's answer is cut short");
            var value = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at));
            at += 4;
            return value;
        }

        public byte[] Bytes()
        {
            var length = (int)UInt32();
            if (length < 0 || at + length > data.Length) throw new SshAgentException("the ssh-agent's answer is cut short");
            var value = data[at..(at + length)];
            at += length;
            return value;
        }
    }

    private sealed class AgentKey(string comment, IReadOnlyCollection<HostAlgorithm> algorithms) : IPrivateKeySource
    {
        public IReadOnlyCollection<HostAlgorithm> HostKeyAlgorithms { get; } = algorithms;
        public override string ToString() => comment;
    }

    /// <summary>A key in the agent as SSH.NET signs with it: the public blob, the signature made by the agent.</summary>
    private sealed class AgentKeyAlgorithm(SshAgent agent, string name, byte[] blob, uint flags) : HostAlgorithm(name)
    {
        public override byte[] Data => blob;
        public override byte[] Sign(byte[] data) => agent.Sign(blob, data, flags);
        public override bool VerifySignature(byte[] data, byte[] signature) =>
            throw new NotSupportedException("an agent key only signs (it is never a server's host key)");
    }
}

public sealed class SshAgentException(string message, Exception? inner = null) : Exception(message, inner);
