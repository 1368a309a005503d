using KernelSoak.Boot;

namespace KernelSoak.Tests.Boot;

/// <summary>The seed's R8 on real memory maps: the emulated board's, a Raspberry Pi-like arm64 one with a reserved-memory node, an x86 one.</summary>
public class RamoopsTests
{
    // The emulated board: 1 GiB at 0x40000000, the kernel told mem=768M, ramoops in the RAM it skips.
    private const string EmulatedBoard = """
        09000000-09000fff : pl011@9000000
          09000000-09000fff : 9000000.pl011 pl011@9000000
        40000000-6fffffff : System RAM
          40210000-4155ffff : Kernel code
          41560000-41a1ffff : reserved
          41a20000-41d1ffff : Kernel data
          6bc00000-6fbfffff : reserved
          6ff00000-6fffffff : reserved
        """;

    // arm64 with ramoops in a reserved-memory node (no no-map): listed "reserved" inside System RAM.
    private const string Arm64WithCarveOut = """
        00000000-3b3fffff : System RAM
          00000000-00000fff : reserved
          00210000-0115ffff : Kernel code
          01160000-0144ffff : reserved
          01450000-01a0ffff : Kernel data
          0b000000-0b0fffff : reserved
          37400000-3b3fffff : reserved
        40000000-fbffffff : System RAM
        """;

    private const string X86 = """
        00000000-00000fff : Reserved
        00001000-0009fbff : System RAM
        0009fc00-0009ffff : Reserved
        000f0000-000fffff : Reserved
          000f0000-000fffff : System ROM
        00100000-bffdffff : System RAM
          2a000000-2ae02a16 : Kernel code
        bffe0000-bfffffff : Reserved
        """;

    [Test]
    public void The_emulated_boards_parameters_put_it_outside_System_RAM()
    {
        var region = Ramoops.FromCmdline("console=ttyAMA0 root=/dev/vdb rw mem=768M ramoops.mem_address=0x70000000 ramoops.mem_size=0x100000 ramoops.ecc=1")!;
        Assert.That(region.Range, Is.EqualTo(new PhysRange(0x70000000, 0x700fffff)));
        var (safe, detail) = Ramoops.Check(region, MemoryMap.Parse(EmulatedBoard));
        Assert.That(safe, Is.True);
        Assert.That(detail, Is.EqualTo("0x70000000-0x700fffff (kernel parameters) outside System RAM"));
    }

    [Test]
    public void Parameters_pointing_into_RAM_the_kernel_uses_fail_and_name_the_exposed_range()
    {
        var region = Ramoops.FromCmdline("ramoops.mem_address=0x50000000 ramoops.mem_size=0x100000")!;
        var (safe, detail) = Ramoops.Check(region, MemoryMap.Parse(EmulatedBoard));
        Assert.That(safe, Is.False);
        Assert.That(detail, Does.Contain("lies in System RAM the kernel may hand out (0x50000000-0x500fffff)").And.Contain("reserve it"));
    }

    [Test]
    public void A_device_tree_carve_out_reserved_inside_System_RAM_is_safe()
    {
        // od -An -tx1 -v of #address-cells (2), #size-cells (2), reg = <0x0 0x0b000000 0x0 0x00100000>
        const string od = " 00 00 00 02 00 00 00 02 00 00 00 00 0b 00 00 00\n 00 00 00 00 00 10 00 00\n";
        var region = Ramoops.FromDeviceTree(od)!;
        Assert.That(region, Is.EqualTo(new Ramoops.Region(new PhysRange(0x0b000000, 0x0b0fffff), "device tree")));
        var (safe, detail) = Ramoops.Check(region, MemoryMap.Parse(Arm64WithCarveOut));
        Assert.That(safe, Is.True, detail);
        Assert.That(detail, Does.EndWith("reserved inside System RAM"));
    }

    [Test]
    public void Only_the_part_no_reservation_covers_is_named()
    {
        var region = Ramoops.FromCmdline("ramoops.mem_address=0x0af80000 ramoops.mem_size=0x100000")!; // starts 512 KiB below the carve-out
        var (safe, detail) = Ramoops.Check(region, MemoryMap.Parse(Arm64WithCarveOut));
        Assert.That(safe, Is.False);
        Assert.That(detail, Does.Contain("(0xaf80000-0xaffffff)"));
    }

    [Test]
    public void Thirty_two_bit_cells_decimal_parameters_and_x86_maps_read_too()
    {
        Assert.That(Ramoops.FromDeviceTree("00 00 00 01 00 00 00 01 3e 00 00 00 00 10 00 00")!.Range, Is.EqualTo(new PhysRange(0x3e000000, 0x3e0fffff)));
        var region = Ramoops.FromCmdline("quiet ramoops.mem_address=3221094400 ramoops.mem_size=131072")!; // 0xbffe0000, the x86 map's last Reserved
        Assert.That(region.Range, Is.EqualTo(new PhysRange(0xbffe0000, 0xbfffffff)));
        Assert.That(Ramoops.Check(region, MemoryMap.Parse(X86)).Safe, Is.True);
        Assert.That(Ramoops.Check(new Ramoops.Region(new PhysRange(0x1000000, 0x10fffff), "kernel parameters"), MemoryMap.Parse(X86)).Safe, Is.False);
    }

    [Test]
    public void No_region_or_a_half_given_one_is_none()
    {
        Assert.That(Ramoops.FromCmdline("console=ttyS0 ramoops.mem_size=0x100000"), Is.Null);
        Assert.That(Ramoops.FromDeviceTree(""), Is.Null);
        Assert.That(Ramoops.FromDeviceTree("00 00 00 02 00 00 00 02 00 00"), Is.Null, "a reg cut short");
    }
}
