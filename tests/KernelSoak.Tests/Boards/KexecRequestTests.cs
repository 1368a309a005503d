using KernelSoak.Boards.Strategy;
using KernelSoak.Boot;

namespace KernelSoak.Tests.Boards;

/// <summary>The kexec request: every path and word checked when made, the load command quoted for the board's shell.</summary>
public class KexecRequestTests
{
    [Test]
    public void The_load_command_names_every_file_and_quotes_the_command_line_as_one_word()
    {
        var request = new KexecRequest("/boot/firmware/Image-6.12.0-ks", "console=ttyAMA0 dyndbg=\"file x.c +p\" it's=$HOME`id` panic=5",
            initrd: "/boot/firmware/initramfs-6.12.0-ks.img", dtb: "/boot/firmware/rk3588 board.dtb");
        Assert.That(request.LoadCommand(), Is.EqualTo(
            "kexec -l /boot/firmware/Image-6.12.0-ks --initrd=/boot/firmware/initramfs-6.12.0-ks.img '--dtb=/boot/firmware/rk3588 board.dtb' " +
            "'--append=console=ttyAMA0 dyndbg=\"file x.c +p\" it'\\''s=$HOME`id` panic=5'"));
    }

    [Test]
    public void Without_initrd_and_dtb_only_the_image_and_the_command_line_are_given() =>
        Assert.That(new KexecRequest("/boot/Image", "root=/dev/vdb").LoadCommand(), Is.EqualTo("kexec -l /boot/Image --append=root=/dev/vdb"));

    [TestCase("Image-6.12", TestName = "a relative image path")]
    [TestCase("/boot/../etc/Image", TestName = "an image path with ..")]
    [TestCase("/boot/Image\n-e", TestName = "an image path with a newline")]
    [TestCase("", TestName = "an empty image path")]
    public void A_path_that_is_not_a_plain_absolute_path_is_refused(string image) =>
        Assert.Throws<InvalidKexecRequestException>(() => _ = new KexecRequest(image, "root=/dev/vdb"));

    [Test]
    public void Initrd_and_dtb_paths_are_checked_like_the_image()
    {
        Assert.Throws<InvalidKexecRequestException>(() => _ = new KexecRequest("/boot/Image", "", initrd: "initrd.img"));
        Assert.Throws<InvalidKexecRequestException>(() => _ = new KexecRequest("/boot/Image", "", dtb: "/boot/../x.dtb"));
    }

    [Test]
    public void A_command_line_with_a_control_character_or_longer_than_the_kernel_takes_is_refused()
    {
        Assert.Throws<InvalidKexecRequestException>(() => _ = new KexecRequest("/boot/Image", "root=/dev/vdb\nreboot"));
        Assert.Throws<InvalidKexecRequestException>(() => _ = new KexecRequest("/boot/Image", new string('a', KexecRequest.MaxCommandLineBytes + 1)));
        Assert.DoesNotThrow(() => _ = new KexecRequest("/boot/Image", new string('a', KexecRequest.MaxCommandLineBytes)));
    }

    [Test]
    public void A_label_of_extlinux_becomes_its_files_under_the_boot_dir_and_its_append_with_the_panic_reboot()
    {
        var config = ExtlinuxConfig.Parse("""
            default known-good
            label known-good
                kernel /Image-6.1.0
                append console=ttyAMA0 root=/dev/vdb rw
            label kstest
                kernel /Image-6.12.0-ks
                initrd /initramfs-6.12.0-ks.img
                fdt /dtbs/rk3588-coolpi-cm5-genbook.dtb-6.12.0-ks
                append console=ttyAMA0 root=/dev/vdb rw kasan.fault=report
            """);
        var request = KexecRequest.ForLabel(config.Labels.Single(l => l.Name == "kstest"), "/boot/firmware/", panicSeconds: 5);
        Assert.That(request.Image, Is.EqualTo("/boot/firmware/Image-6.12.0-ks"));
        Assert.That(request.Initrd, Is.EqualTo("/boot/firmware/initramfs-6.12.0-ks.img"));
        Assert.That(request.Dtb, Is.EqualTo("/boot/firmware/dtbs/rk3588-coolpi-cm5-genbook.dtb-6.12.0-ks"));
        Assert.That(request.CommandLine, Is.EqualTo("console=ttyAMA0 root=/dev/vdb rw kasan.fault=report panic=5"));
        Assert.That(request.PanicReboots);
    }

    [Test]
    public void A_label_with_only_an_fdtdir_kexecs_with_the_running_device_tree_and_keeps_its_own_panic_timeout()
    {
        var label = new ExtlinuxLabel("kstest") { Kernel = "/Image-6.12.0-ks", FdtDir = "/dtbs", Append = "root=/dev/vdb panic=30" };
        var request = KexecRequest.ForLabel(label, "/boot", panicSeconds: 5);
        Assert.That(request.Dtb, Is.Null);
        Assert.That(request.CommandLine, Is.EqualTo("root=/dev/vdb panic=30"));
        Assert.That(request.LoadCommand(), Does.Not.Contain("--dtb"));
    }

    [Test]
    public void Without_panic_N_the_request_says_a_dead_kernel_will_not_come_back_by_itself()
    {
        Assert.That(new KexecRequest("/boot/Image", "root=/dev/vdb panic=0").PanicReboots, Is.False);
        Assert.That(new KexecRequest("/boot/Image", "root=/dev/vdb panic=5").PanicReboots, Is.True);
    }
}
