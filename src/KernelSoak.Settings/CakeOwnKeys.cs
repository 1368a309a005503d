namespace KernelSoak.Settings;

/// <summary>
/// Keys of cake.config that are Cake's own (its configuration reads the same file): left to Cake, neither bound
/// nor refused here. Whole sections [Settings], [NuGet], [Roslyn]; in [Paths], Cake's Tools, Addins and Modules.
/// </summary>
public static class CakeOwnKeys
{
    private static readonly string[] Sections = ["Settings", "NuGet", "Roslyn"];
    private static readonly string[] PathKeys = ["Tools", "Addins", "Modules"];

    public static bool Contains(string section, string key) =>
        Sections.Contains(section, StringComparer.OrdinalIgnoreCase)
        || (section.Equals("Paths", StringComparison.OrdinalIgnoreCase) && PathKeys.Contains(key, StringComparer.OrdinalIgnoreCase));
}
