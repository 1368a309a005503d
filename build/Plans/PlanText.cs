namespace KernelSoak.Build.Plans;

/// <summary>Shared wording of plans: the release placeholder and file names from the campaign's patterns.</summary>
public static class PlanText
{
    /// <summary>Shown where the release is known only after ConfigureKernel (make -s kernelrelease).</summary>
    public const string ReleasePlaceholder = "<release>";

    public static string Release(BuildContext context) =>
        context.Journal.LastEnd("kernel/release")?.Outputs?.GetValueOrDefault("release") ?? ReleasePlaceholder;

    public static string Expand(string pattern, string release, string dtb = "") =>
        pattern.Replace("{release}", release, StringComparison.Ordinal).Replace("{dtb}", Path.GetFileName(dtb), StringComparison.Ordinal);

    public static string BootFile(BuildContext context, string pattern, string release) =>
        context.Campaign.Install.BootDir.TrimEnd('/') + "/" + Expand(pattern, release, context.Campaign.Install.Dtb);
}
