using System.Text.RegularExpressions;

namespace KernelSoak.Campaigns;

/// <summary>Finds a campaign by name (campaigns/NAME.toml) or path, binds it and checks what binding cannot.</summary>
public static partial class CampaignLoader
{
    public static string Resolve(string nameOrPath, string repositoryRoot)
    {
        if (File.Exists(nameOrPath)) return Path.GetFullPath(nameOrPath);
        var problem = nameOrPath.Contains('/') ? "holds a '/'" : CampaignNames.Segment(Path.GetFileNameWithoutExtension(nameOrPath));
        if (problem is not null)
            throw new CampaignException($"[Campaign] Name '{Shown(nameOrPath)}': no such file, and as a name under campaigns/ it {problem}");
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
        // Everything that becomes a path or part of a command, checked here at the edge (CampaignNames says why each rule).
        var i = c.Install;
        var rules = new List<(string Setting, string Value, Func<string, string?> Rule, string Why)>
        {
            ("campaign.id", c.Id, CampaignNames.Segment, "it names the artifacts folder"),
            ("kernel.localversion", c.Kernel.Localversion, CampaignNames.ReleasePart, ""),
            ("kernel.release_suffix", c.Kernel.ReleaseSuffix, CampaignNames.ReleasePart, ""),
            ("install.boot_dir", i.BootDir, CampaignNames.BoardPath, ""),
            ("install.extlinux", i.Extlinux, CampaignNames.BoardPath, ""),
            ("install.image", i.Image, CampaignNames.FileNamePattern, ""),
            ("install.dtb_name", i.DtbName, CampaignNames.FileNamePattern, ""),
            ("install.initramfs_name", i.InitramfsName, CampaignNames.FileNamePattern, ""),
            ("install.dtb", i.Dtb, CampaignNames.DtbPath, ""),
            ("install.label", i.Label, CampaignNames.NewLabel, ""),
            ("install.default_label", i.DefaultLabel, CampaignNames.ExistingLabel, ""),
        };
        rules.AddRange(i.FallbackLabels.Select(l => ("install.fallback_labels", l, (Func<string, string?>)CampaignNames.ExistingLabel, "")));
        rules.AddRange(i.AppendExtra.Select(a => ("install.append_extra", a, (Func<string, string?>)CampaignNames.KernelParameter, "")));
        rules.AddRange(c.Series.Patches.Select(p => ("series.patches.id", p.Id, (Func<string, string?>)CampaignNames.Segment, "it names the Bisect target and its artifacts")));
        rules.AddRange(c.Stress.Select(s => ("stress.name", s.Name, (Func<string, string?>)CampaignNames.Segment, "it names files of the run")));
        foreach (var (setting, value, rule, why) in rules)
            if (rule(value) is { } problem)
                throw new CampaignException($"{At(value.Length < 3 || value.Any(char.IsControl) ? setting.Split('.')[^1] + " =" : value)}: {setting} '{Shown(value)}' {problem}{(why.Length > 0 ? $" ({why})" : "")}");
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
        if (c.Install.Label == c.Install.DefaultLabel)
            throw new CampaignException($"{At("label")}: install.label '{c.Install.Label}' must differ from default_label: the known-good default is never replaced");
        if (c.Series.Attempts < 1)
            throw new CampaignException($"{At("attempts")}: series.attempts must be at least 1");
        SeriesValidation.Check(c.Series, At);
        BootSelectionValidation.Check(c, At);
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

    /// <summary>A value as an error shows it: control characters visible.</summary>
    private static string Shown(string value) => string.Concat(value.Select(ch => char.IsControl(ch) ? $"\\x{(int)ch:x2}" : ch.ToString()));

    /// <summary>Best-effort line of a value for semantic errors (the binder knows lines of keys only).</summary>
    private static int LineOf(string text, string needle)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
            if (lines[i].Contains(needle, StringComparison.Ordinal)) return i + 1;
        return 1;
    }

    [GeneratedRegex("^[A-Z0-9_]+$")] private static partial Regex SymbolPattern();
}
