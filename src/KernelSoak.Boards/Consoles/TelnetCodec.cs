using System.Buffers.Binary;

namespace KernelSoak.Boards.Consoles;

/// <summary>
/// The client side of telnet (RFC 854) as a console needs it, ser2net's telnet and RFC 2217 accepters
/// included: commands are taken out of the byte stream and answered, data bytes pass through. We ask for
/// binary both ways (so no CR NUL stuffing and 0xFF only doubled), agree to suppress-go-ahead and the
/// server's echo, and refuse every other option. With a baud, the RFC 2217 com-port option is accepted
/// and the line is set to baud 8N1; without, it is refused and the server's own settings stand.
/// Answers are given only for requests that change an option's state, so two peers never loop.
/// </summary>
public sealed class TelnetCodec(int? baud = null)
{
    public const byte Iac = 255, Dont = 254, Do = 253, Wont = 252, Will = 251, Sb = 250, Se = 240;
    public const byte Binary = 0, Echo = 1, SuppressGoAhead = 3, ComPort = 44;
    // RFC 2217 client-to-server commands.
    private const byte SetBaudRate = 1, SetDataSize = 2, SetParity = 3, SetStopSize = 4, ParityNone = 1, OneStopBit = 1;

    private enum State { Data, Command, Option, Sub, SubIac }

    private State _state;
    private byte _verb;
    private bool _lastWasCr;
    private readonly HashSet<byte> _theyWill = [];   // options the server performs (we said DO)
    private readonly HashSet<byte> _weWill = [];     // options we perform (we said WILL)

    /// <summary>What the client says first: binary both ways.</summary>
    public byte[] Opening()
    {
        _weWill.Add(Binary);
        _theyWill.Add(Binary);
        return [Iac, Will, Binary, Iac, Do, Binary];
    }

    /// <summary>Takes the telnet commands out of <paramref name="bytes"/> in place; returns how many data bytes are left at its start, and what to answer.</summary>
    public (int Data, byte[] Reply) Decode(Span<byte> bytes)
    {
        var reply = new List<byte>();
        var kept = 0;
        foreach (var b in bytes)
        {
            switch (_state)
            {
                case State.Data when b == Iac:
                    _state = State.Command;
                    break;
                case State.Data:
                    // Without binary from the server, a bare CR arrives as CR NUL: the NUL is not data.
                    if (!(b == 0 && _lastWasCr && !_theyWill.Contains(Binary))) bytes[kept++] = b;
                    _lastWasCr = b == '\r';
                    break;
                case State.Command when b == Iac:
                    bytes[kept++] = Iac; // an escaped 0xFF data byte
                    _lastWasCr = false;
                    _state = State.Data;
                    break;
                case State.Command when b is Will or Wont or Do or Dont:
                    _verb = b;
                    _state = State.Option;
                    break;
                case State.Command when b == Sb:
                    _state = State.Sub;
                    break;
                case State.Command:
                    _state = State.Data; // NOP, GA, AYT …: nothing to do
                    break;
                case State.Option:
                    Answer(_verb, b, reply);
                    _state = State.Data;
                    break;
                case State.Sub:
                    // Sub-negotiations from the server (RFC 2217 notifications) carry nothing we use.
                    if (b == Iac) _state = State.SubIac;
                    break;
                case State.SubIac:
                    _state = b == Se ? State.Data : State.Sub;
                    break;
            }
        }
        return (kept, [.. reply]);
    }

    private void Answer(byte verb, byte option, List<byte> reply)
    {
        switch (verb)
        {
            case Will when option is Binary or Echo or SuppressGoAhead:
                if (_theyWill.Add(option)) reply.AddRange([Iac, Do, option]);
                break;
            case Will:
                reply.AddRange([Iac, Dont, option]);
                break;
            case Wont:
                if (_theyWill.Remove(option)) reply.AddRange([Iac, Dont, option]);
                break;
            case Do when option is Binary or SuppressGoAhead || (option == ComPort && baud is not null):
                if (_weWill.Add(option))
                {
                    reply.AddRange([Iac, Will, option]);
                    if (option == ComPort) reply.AddRange(LineSettings(baud!.Value));
                }
                break;
            case Do:
                reply.AddRange([Iac, Wont, option]);
                break;
            case Dont:
                if (_weWill.Remove(option)) reply.AddRange([Iac, Wont, option]);
                break;
        }
    }

    /// <summary>RFC 2217: baud, 8 data bits, no parity, one stop bit.</summary>
    private static IEnumerable<byte> LineSettings(int rate)
    {
        var value = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(value, rate);
        return [.. Sub(SetBaudRate, value), .. Sub(SetDataSize, [8]), .. Sub(SetParity, [ParityNone]), .. Sub(SetStopSize, [OneStopBit])];
    }

    private static byte[] Sub(byte command, byte[] value) => [Iac, Sb, ComPort, command, .. Escape(value), Iac, Se];

    /// <summary>Data for the wire: each 0xFF doubled.</summary>
    public static byte[] Escape(ReadOnlySpan<byte> data)
    {
        if (!data.Contains(Iac)) return data.ToArray();
        var escaped = new List<byte>(data.Length + 4);
        foreach (var b in data)
        {
            escaped.Add(b);
            if (b == Iac) escaped.Add(Iac);
        }
        return [.. escaped];
    }
}
