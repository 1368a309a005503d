using KernelSoak.Deploy;

namespace KernelSoak.Tests.Deploy;

/// <summary>[install]'s name patterns are filled in one place, for the dry run's text and the install alike.</summary>
public class InstallLayoutTests
{
    [Test]
    public void Patterns_take_the_release_and_the_dtbs_file_name()
    {
        Assert.That(InstallLayout.Expand("{dtb}-{release}", "6.12.0-ks", "rockchip/rk3588-rock-5b.dtb"), Is.EqualTo("rk3588-rock-5b.dtb-6.12.0-ks"));
        var layout = new InstallLayout("/boot/", "/boot/extlinux/extlinux.conf", "Image-{release}", "ks", "l0", [], 64) { Dtb = "arm64/x.dtb" };
        Assert.That(layout.ImagePath("6.12.0-ks"), Is.EqualTo("/boot/Image-6.12.0-ks"));
        Assert.That(layout.DtbPath("6.12.0-ks"), Is.EqualTo("/boot/x.dtb-6.12.0-ks"));
    }
}
