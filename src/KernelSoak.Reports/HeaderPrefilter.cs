using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KernelSoak.Reports;

/// <summary>
/// Finds the next of a few ASCII literals in UTF-8 bytes (the scanner's <see cref="Headers.Needles"/>): a
/// Teddy-style search, as in Hyperscan and Rust's aho-corasick. Each literal's first three bytes mark it in
/// one of eight buckets through nibble tables; 32 or 64 positions at a time are tested against all buckets with
/// six shuffles, and only a position whose bytes fit a bucket is compared with that bucket's literals.
/// On bytes it reads half of what a search of decoded text reads, and a log between reports is never decoded.
/// </summary>
public sealed class HeaderPrefilter
{
    private const int Fingerprint = 3;

    private static byte[] Bytes(string literal) => literal.All(char.IsAscii) && literal.Length >= Fingerprint
        ? System.Text.Encoding.ASCII.GetBytes(literal)
        : throw new ArgumentException($"'{literal}': a literal must be ASCII and at least {Fingerprint} long");
    private readonly byte[][][] _buckets = new byte[8][][];
    private readonly byte[] _lo = new byte[Fingerprint * 16], _hi = new byte[Fingerprint * 16];
    private readonly Vector256<byte> _lo0, _lo1, _lo2, _hi0, _hi1, _hi2;
    private readonly Vector512<byte> _lo0W, _lo1W, _lo2W, _hi0W, _hi1W, _hi2W;

    /// <param name="buckets">At most eight groups of literals; literals alike in their first bytes share one.</param>
    public HeaderPrefilter(IReadOnlyList<IReadOnlyList<string>> buckets)
    {
        if (buckets.Count > 8) throw new ArgumentException("at most eight buckets", nameof(buckets));
        for (var b = 0; b < 8; b++)
        {
            _buckets[b] = b < buckets.Count ? [.. buckets[b].Select(Bytes)] : [];
            foreach (var literal in _buckets[b])
                for (var j = 0; j < Fingerprint; j++)
                {
                    _lo[j * 16 + (literal[j] & 0xF)] |= (byte)(1 << b);
                    _hi[j * 16 + (literal[j] >> 4)] |= (byte)(1 << b);
                }
        }
        Vector256<byte> Table(byte[] t, int j) => Vector256.Create(Vector128.Create(t.AsSpan(j * 16, 16)), Vector128.Create(t.AsSpan(j * 16, 16)));
        (_lo0, _lo1, _lo2, _hi0, _hi1, _hi2) = (Table(_lo, 0), Table(_lo, 1), Table(_lo, 2), Table(_hi, 0), Table(_hi, 1), Table(_hi, 2));
        Vector512<byte> Wide(Vector256<byte> v) => Vector512.Create(v, v);
        (_lo0W, _lo1W, _lo2W, _hi0W, _hi1W, _hi2W) = (Wide(_lo0), Wide(_lo1), Wide(_lo2), Wide(_hi0), Wide(_hi1), Wide(_hi2));
    }

    /// <summary>The index of the first position in <paramref name="text"/> where one of the literals starts, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int IndexOf(ReadOnlySpan<byte> text)
    {
        var i = 0;
        if (Avx512BW.IsSupported)
        {
            var nibble = Vector512.Create((byte)0xF);
            ref var start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(text);
            for (; i + 64 + Fingerprint - 1 <= text.Length; i += 64)
            {
                var v0 = Vector512.LoadUnsafe(ref start, (nuint)i);
                var v1 = Vector512.LoadUnsafe(ref start, (nuint)i + 1);
                var v2 = Vector512.LoadUnsafe(ref start, (nuint)i + 2);
                var m = Avx512BW.Shuffle(_lo0W, v0 & nibble) & Avx512BW.Shuffle(_hi0W, Vector512.ShiftRightLogical(v0.AsUInt16(), 4).AsByte() & nibble)
                      & Avx512BW.Shuffle(_lo1W, v1 & nibble) & Avx512BW.Shuffle(_hi1W, Vector512.ShiftRightLogical(v1.AsUInt16(), 4).AsByte() & nibble)
                      & Avx512BW.Shuffle(_lo2W, v2 & nibble) & Avx512BW.Shuffle(_hi2W, Vector512.ShiftRightLogical(v2.AsUInt16(), 4).AsByte() & nibble);
                var hits = ~Vector512.Equals(m, Vector512<byte>.Zero).ExtractMostSignificantBits();
                while (hits != 0)
                {
                    var k = BitOperations.TrailingZeroCount(hits);
                    if (Verify(text, i + k, m.GetElement(k))) return i + k;
                    hits &= hits - 1;
                }
            }
        }
        else if (Avx2.IsSupported)
        {
            var nibble = Vector256.Create((byte)0xF);
            ref var start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(text);
            for (; i + 32 + Fingerprint - 1 <= text.Length; i += 32)
            {
                var v0 = Vector256.LoadUnsafe(ref start, (nuint)i);
                var v1 = Vector256.LoadUnsafe(ref start, (nuint)i + 1);
                var v2 = Vector256.LoadUnsafe(ref start, (nuint)i + 2);
                var m = Avx2.Shuffle(_lo0, v0 & nibble) & Avx2.Shuffle(_hi0, Vector256.ShiftRightLogical(v0.AsUInt16(), 4).AsByte() & nibble)
                      & Avx2.Shuffle(_lo1, v1 & nibble) & Avx2.Shuffle(_hi1, Vector256.ShiftRightLogical(v1.AsUInt16(), 4).AsByte() & nibble)
                      & Avx2.Shuffle(_lo2, v2 & nibble) & Avx2.Shuffle(_hi2, Vector256.ShiftRightLogical(v2.AsUInt16(), 4).AsByte() & nibble);
                var hits = ~Vector256.Equals(m, Vector256<byte>.Zero).ExtractMostSignificantBits();
                while (hits != 0)
                {
                    var k = BitOperations.TrailingZeroCount(hits);
                    if (Verify(text, i + k, m.GetElement(k))) return i + k;
                    hits &= hits - 1;
                }
            }
        }
        // The tail (and machines without the shuffles): the same tables, a position at a time.
        for (; i < text.Length; i++)
        {
            var buckets = 0xFF;
            for (var j = 0; j < Fingerprint && buckets != 0; j++)
                buckets = i + j < text.Length ? buckets & _lo[j * 16 + (text[i + j] & 0xF)] & _hi[j * 16 + (text[i + j] >> 4)] : 0;
            if (buckets != 0 && Verify(text, i, (byte)buckets)) return i;
        }
        return -1;
    }

    private bool Verify(ReadOnlySpan<byte> text, int at, byte buckets)
    {
        var rest = text[at..];
        for (; buckets != 0; buckets &= (byte)(buckets - 1))
            foreach (var literal in _buckets[BitOperations.TrailingZeroCount(buckets)])
                if (rest.StartsWith(literal)) return true;
        return false;
    }
}
