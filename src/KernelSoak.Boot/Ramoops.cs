using System.Globalization;
using System.Text.RegularExpressions;

namespace KernelSoak.Boot;

/// <summary>A range of physical memory, both ends inclusive (as /proc/iomem prints them).</summary>
public readonly record struct PhysRange(ulong Start, ulong End)
{
    public bool Overlaps(PhysRange o) => Start <= o.End && o.Start <= End;
    public override string ToString() => $"0x{Start:x}-0x{End:x}";
}

/// <summary>/proc/iomem as the ramoops check needs it: System RAM, and the ranges reserved inside it.</summary>
public sealed partial record MemoryMap(IReadOnlyList<PhysRange> SystemRam, IReadOnlyList<PhysRange> Reserved)
{
    public static MemoryMap Parse(string iomem)
    {
        var ram = new List<PhysRange>();
        var reserved = new List<PhysRange>();
        foreach (Match m in Entry().Matches(iomem))
        {
            var range = new PhysRange(Hex(m.Groups[1].Value), Hex(m.Groups[2].Value));
            var name = m.Groups[3].Value.Trim();
            if (name == "System RAM") ram.Add(range);
            // arm64 lists memblock reservations (a DT reserved-memory node, the kernel image) as "reserved"
            // inside System RAM: RAM the kernel never hands out.
            else if (name.Equals("reserved", StringComparison.OrdinalIgnoreCase) || name.StartsWith("ramoops", StringComparison.Ordinal)) reserved.Add(range);
        }
        return new MemoryMap(ram, reserved);
    }

    internal static ulong Hex(string s) => ulong.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\s*([0-9a-fA-F]+)-([0-9a-fA-F]+) : (.+)$", RegexOptions.Multiline)] private static partial Regex Entry();
}

/// <summary>
/// The seed's R8: where ramoops keeps its records (kernel parameters, or a reserved-memory node of the
/// device tree) must be RAM the running kernel leaves alone — outside System RAM, or reserved inside it.
/// Otherwise the kernel may hand those pages out and a panic's record is lost or, worse, corrupts memory.
/// </summary>
public static partial class Ramoops
{
    public sealed record Region(PhysRange Range, string From);

    /// <summary>ramoops.mem_address / mem_size on the command line (hex or decimal, as the kernel takes them).</summary>
    public static Region? FromCmdline(string cmdline)
    {
        var address = Param(cmdline, "mem_address");
        var size = Param(cmdline, "mem_size");
        return address is null || size is null or 0 ? null : new Region(new PhysRange(address.Value, address.Value + size.Value - 1), "kernel parameters");
    }

    /// <summary>
    /// A reserved-memory node of the device tree with compatible "ramoops", as <c>od -An -tx1 -v</c> printed
    /// the parent's #address-cells, #size-cells and the node's reg (big-endian cells).
    /// </summary>
    public static Region? FromDeviceTree(string odBytes)
    {
        var bytes = odBytes.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Select(b => byte.Parse(b, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
        if (bytes.Length < 8) return null;
        var addressCells = (int)Cells(bytes, 0, 1);
        var sizeCells = (int)Cells(bytes, 4, 1);
        if (addressCells is < 1 or > 2 || sizeCells is < 1 or > 2 || bytes.Length < 8 + 4 * (addressCells + sizeCells)) return null;
        var start = Cells(bytes, 8, addressCells);
        var size = Cells(bytes, 8 + 4 * addressCells, sizeCells);
        return size == 0 ? null : new Region(new PhysRange(start, start + size - 1), "device tree");
    }

    /// <summary>Safe when the region overlaps no System RAM, or only RAM that is reserved.</summary>
    public static (bool Safe, string Detail) Check(Region region, MemoryMap map)
    {
        var exposed = map.SystemRam.Where(r => r.Overlaps(region.Range))
            .Select(r => new PhysRange(Math.Max(r.Start, region.Range.Start), Math.Min(r.End, region.Range.End)))
            .SelectMany(part => Uncovered(part, map.Reserved)).ToList();
        if (exposed.Count > 0)
            return (false, $"ramoops {region.Range} ({region.From}) lies in System RAM the kernel may hand out ({string.Join(", ", exposed)}): " +
                           "reserve it (mem=, memmap=, a reserved-memory node) or move it");
        var inRam = map.SystemRam.Any(r => r.Overlaps(region.Range));
        return (true, $"{region.Range} ({region.From}) {(inRam ? "reserved inside System RAM" : "outside System RAM")}");
    }

    /// <summary>The parts of <paramref name="part"/> no reserved range covers.</summary>
    private static IEnumerable<PhysRange> Uncovered(PhysRange part, IReadOnlyList<PhysRange> reserved)
    {
        var at = part.Start;
        foreach (var r in reserved.Where(r => r.Overlaps(part)).OrderBy(r => r.Start))
        {
            if (r.Start > at) yield return new PhysRange(at, r.Start - 1);
            if (r.End >= part.End) yield break;
            at = Math.Max(at, r.End + 1);
        }
        if (at <= part.End) yield return new PhysRange(at, part.End);
    }

    private static ulong Cells(byte[] bytes, int offset, int cells)
    {
        ulong value = 0;
        for (var i = 0; i < 4 * cells; i++) value = (value << 8) | bytes[offset + i];
        return value;
    }

    private static ulong? Param(string cmdline, string name)
    {
        var m = Regex.Match(cmdline, $@"(?:^|\s)ramoops\.{name}=(0[xX][0-9a-fA-F]+|\d+)(?=\s|$)");
        if (!m.Success) return null;
        var v = m.Groups[1].Value;
        return v.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? MemoryMap.Hex(v[2..]) : ulong.Parse(v, CultureInfo.InvariantCulture);
    }
}
