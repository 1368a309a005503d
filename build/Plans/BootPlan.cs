using KernelSoak.Campaigns;
using KernelSoak.Steps;

namespace KernelSoak.Build.Plans;

/// <summary>Reboot into the test kernel and prove it is the one running (never mistake a fallback label).</summary>
public static class BootPlan
{
    public const string Capability = "reboot-aware boot and verification (issue: reboot-aware resumption and bisect)";

    public static IEnumerable<Step> Steps(BuildContext c, string prefix)
    {
        var i = c.Campaign.Install;
        var b = c.Board;
        var release = PlanText.Release(c);
        var select = i.BootSelection switch
        {
            BootSelection.SerialMenu => $"at U-Boot's menu on the serial console, choose label {i.Label} (default stays {i.DefaultLabel})",
            BootSelection.FlipDefault => $"flip default to {i.Label} (journalled; reverted after the verdict or on the next run)",
            _ => $"ask the person at the board to pick {i.Label} at the U-Boot menu, then wait",
        };
        yield return Step.Pending($"{prefix}/reboot", $"reboot; {select}", Capability,
            b.Ssh("cat /proc/sys/kernel/random/boot_id"), b.Ssh("reboot"));
        yield return Step.Pending($"{prefix}/wait", $"wait for SSH (timeout {c.Campaign.Boot.TimeoutS} s, {c.Campaign.Boot.PowerCycles} power cycle(s), then no-boot)", Capability,
            b.Ssh("true"));
        yield return Step.Pending($"{prefix}/verify", $"uname -r = {release}, boot id changed, running config holds the campaign's options", Capability,
            b.Ssh("uname -r; cat /proc/sys/kernel/random/boot_id; zcat /proc/config.gz"));
        foreach (var (smoke, n) in c.Campaign.Boot.Smoke.Select((s, n) => (s, n)))
            yield return Step.Pending($"{prefix}/smoke-{n + 1}", $"smoke test: {smoke}", Capability, b.Ssh(smoke));
    }
}
