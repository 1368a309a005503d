using System.Text.RegularExpressions;

namespace KernelSoak.Campaigns;

/// <summary>Finds a campaign by name (campaigns/NAME.toml) or path, binds it and checks what binding cannot.</summary>
public static partial class CampaignLoader
{
    public static string Resolve(string nameOrPath, string repositoryRoot)
    {
        if (File.Exists(nameOrPath)) return Path.GetFullPath(nameOrPath);
        var byName = Path.Combine(repositoryRoot, "campaigns", nameOrPath.EndsWith(".toml", StringComparison.Ordinal) ? nameOrPath : nameOrPath + ".toml");
        if (File.Exists(byName)) return byName;
        var known = Directory.Exists(Path.Combine(repositoryRoot, "campaigns"))
            ? string.Join(", ", Directory.GetFiles(Path.Combine(repositoryRoot, "campaigns"), "*.toml").Select(Path.GetFileNameWithoutExtension).Order())
            : "none";
        throw new CampaignException($"campaign '{nameOrPath}' not found: neither a file nor campaigns/{Path.GetFileName(byName)} (known: {known})");
    }

    public static Campaign Load(string path)
    {
        var text = File.ReadAllText(path);
        var campaign = Parse(text, Path.GetFileName(path));
        campaign.SourcePath = Path.GetFullPath(path);
        return campaign;
    }

    public static Campaign Parse(string text, string fileName)
    {
        var campaign = TomlBinder.Bind<Campaign>(text, fileName);
        Validate(campaign, fileName, text);
        return campaign;
    }

    private static void Validate(Campaign c, string file, string text)
    {
        string At(string needle) => $"{file}:{LineOf(text, needle)}";
        if (!IdPattern().IsMatch(c.Id))
            throw new CampaignException($"{At("id")}: campaign id '{c.Id}' may hold only letters, digits, '.', '_' and '-' (it names the artifacts folder)");
        foreach (var option in c.Config)
        {
            if (option.Name.StartsWith("CONFIG_", StringComparison.Ordinal)) option.Name = option.Name["CONFIG_".Length..];
            if (!SymbolPattern().IsMatch(option.Name))
                throw new CampaignException($"{At(option.Name)}: '{option.Name}' is not a Kconfig symbol (upper case, digits, '_')");
        }
        var duplicate = c.Config.GroupBy(o => o.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new CampaignException($"{At(duplicate.Key)}: config option {duplicate.Key} is given {duplicate.Count()} times");
        var patchIds = c.Series.Patches.GroupBy(p => p.Id).FirstOrDefault(g => g.Count() > 1);
        if (patchIds is not null)
            throw new CampaignException($"{At(patchIds.Key)}: patch {patchIds.Key} appears twice in the series");
        foreach (var p in c.Series.Patches)
            if (!IdPattern().IsMatch(p.Id))
                throw new CampaignException($"{At(p.Id)}: patch id '{p.Id}' may hold only letters, digits, '.', '_' and '-' (it names the Bisect target)");
        if (c.Install.Label == c.Install.DefaultLabel)
            throw new CampaignException($"{At("label")}: install.label '{c.Install.Label}' must differ from default_label: the known-good default is never replaced");
        if (c.Series.Attempts < 1)
            throw new CampaignException($"{At("attempts")}: series.attempts must be at least 1");
        SeriesValidation.Check(c.Series, At);
        foreach (var s in c.Stress)
        {
            if (s.DurationS <= 0) throw new CampaignException($"{At(s.Name)}: stress '{s.Name}' needs duration_s > 0");
            if (s.Kind == StressKind.Commands && s.Commands.Count == 0)
                throw new CampaignException($"{At(s.Name)}: stress '{s.Name}' has no commands");
            if (s.Kind == StressKind.Manual && s.Instruction.Length == 0)
                throw new CampaignException($"{At(s.Name)}: manual stress '{s.Name}' needs an instruction for the person at the board");
        }
        foreach (var pattern in c.Monitor.Suppress.Concat(c.Monitor.Patterns))
        {
            try { _ = new Regex(pattern); }
            catch (ArgumentException e) { throw new CampaignException($"{At(pattern)}: bad regex '{pattern}': {e.Message}"); }
        }
    }

    /// <summary>Best-effort line of a value for semantic errors (the binder knows lines of keys only).</summary>
    private static int LineOf(string text, string needle)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
            if (lines[i].Contains(needle, StringComparison.Ordinal)) return i + 1;
        return 1;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")] private static partial Regex IdPattern();
    [GeneratedRegex("^[A-Z0-9_]+$")] private static partial Regex SymbolPattern();
}
