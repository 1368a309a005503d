using System.Text.RegularExpressions;

namespace KernelSoak.Series;

/// <summary>
/// series.hunt: which reports steer the search. "any" hunts every report the baseline does not also produce
/// (and a wedge or a kernel that does not boot); a regex hunts the titles it matches, and other reports are
/// recorded without making a patch bad (a no-boot then leaves the point untestable for the hunted bug).
/// </summary>
public sealed class HuntRule
{
    private readonly Regex? _titles;

    private HuntRule(Regex? titles) => _titles = titles;

    public static readonly HuntRule Any = new(null);

    public static HuntRule Parse(string hunt) => hunt == "any" ? Any : new HuntRule(new Regex(hunt, RegexOptions.CultureInvariant));

    public bool HuntsAny => _titles is null;

    public bool Steers(string title) => _titles?.IsMatch(title) ?? true;

    public override string ToString() => _titles is null ? "any report" : $"reports titled /{_titles}/";
}
