namespace KernelSoak.Build.Plans;

/// <summary>Shared wording of plans: the release placeholder (file names from [install]'s patterns: InstallLayout.Expand).</summary>
public static class PlanText
{
    /// <summary>Shown where the release is known only after ConfigureKernel (make -s kernelrelease).</summary>
    public const string ReleasePlaceholder = "<release>";

    public static string Release(BuildContext context) =>
        context.Journal.LastEnd("kernel/release")?.Outputs?.GetValueOrDefault("release") ?? ReleasePlaceholder;
}
