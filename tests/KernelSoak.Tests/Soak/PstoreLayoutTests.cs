using KernelSoak.Soak;

namespace KernelSoak.Tests.Soak;

/// <summary>Where harvested pstore records land and when the board's copy may go.</summary>
public class PstoreLayoutTests
{
    [Test]
    public void Records_keep_their_board_path_so_two_dmesg_txt_are_two_files()
    {
        const string root = "/var/lib/systemd/pstore";
        var a = PstoreLayout.LocalPath("/h", root, "/var/lib/systemd/pstore/1733040000000000/dmesg.txt");
        var b = PstoreLayout.LocalPath("/h", root + "/", "/var/lib/systemd/pstore/1733049999000000/dmesg.txt");
        Assert.That(a, Is.EqualTo("/h/pstore/var/lib/systemd/pstore/1733040000000000/dmesg.txt"));
        Assert.That(b, Is.Not.EqualTo(a));
        Assert.That(PstoreLayout.LocalPath("/h", "/sys/fs/pstore", "/sys/fs/pstore/dmesg-ramoops-0"), Is.EqualTo("/h/pstore/sys/fs/pstore/dmesg-ramoops-0"));
    }

    [TestCase("/sys/fs/pstore/../../../etc/passwd")]
    [TestCase("/sys/fs/pstore//x")]
    [TestCase("/sys/fs/pstorex/y")]
    [TestCase("/etc/shadow")]
    public void A_path_outside_its_root_or_with_dot_parts_is_refused(string remote)
    {
        var e = Assert.Throws<InvalidDataException>(() => PstoreLayout.LocalPath("/h", "/sys/fs/pstore", remote));
        Assert.That(e!.Message, Does.Contain(remote));
    }

    [Test]
    public void Erase_only_when_the_board_hash_is_a_hash_and_equals_the_copy()
    {
        var hash = new string('a', 64);
        Assert.That(PstoreLayout.MayErase(hash, hash.ToUpperInvariant()), Is.True);
        Assert.That(PstoreLayout.MayErase(hash, new string('b', 64)), Is.False);
        Assert.That(PstoreLayout.MayErase("", ""), Is.False, "a failed sha256sum prints nothing");
        Assert.That(PstoreLayout.MayErase("sha256sum:", "sha256sum:"), Is.False, "an error message is no hash");
    }

    [Test]
    public void An_existing_file_is_never_chosen_unless_it_holds_the_same_bytes()
    {
        var taken = new HashSet<string> { "/h/dmesg.txt", "/h/dmesg.1.txt", "/h/dmesg-ramoops-0" };
        Assert.That(PstoreLayout.FreeName("/h/dmesg.txt", _ => false, taken.Contains), Is.EqualTo("/h/dmesg.2.txt"));
        Assert.That(PstoreLayout.FreeName("/h/dmesg.txt", p => p == "/h/dmesg.1.txt", taken.Contains), Is.EqualTo("/h/dmesg.1.txt"));
        Assert.That(PstoreLayout.FreeName("/h/dmesg-ramoops-0", _ => false, taken.Contains), Is.EqualTo("/h/dmesg-ramoops-0.1"));
        Assert.That(PstoreLayout.FreeName("/h/new", _ => false, taken.Contains), Is.EqualTo("/h/new"));
    }
}
