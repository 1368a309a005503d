namespace KernelSoak.Kernel.Kconfig;

/// <summary>The verdict on one requested option against the final .config.</summary>
public sealed record OptionCheck(RequestedOption Requested, string Actual, bool Stuck, string Reason)
{
    public override string ToString() => Stuck
        ? $"ok      {Requested.Name}={Requested.Value}"
        : $"{(Requested.Optional ? "dropped (optional)" : "DROPPED")} {Requested.Name}={Requested.Value} (now {Actual}): {Reason}";
}

/// <summary>
/// olddefconfig exits 0 when it drops options; the final .config is the judge. Every requested option
/// is compared with it, and each one that did not stick is explained from the tree's Kconfig.
/// </summary>
public static class ConfigVerifier
{
    public static IReadOnlyList<OptionCheck> Check(IEnumerable<RequestedOption> requested, DotConfig final, KconfigTree kconfig) =>
        requested.Select(r => Check(r, final, kconfig)).ToList();

    private static OptionCheck Check(RequestedOption r, DotConfig final, KconfigTree kconfig)
    {
        var symbol = r.Symbol;
        var actual = final.Has(symbol) ? final[symbol] : "(absent)";
        if (r.IsMangled)
        {
            var intended = r.Name[(symbol.Length + 1)..];
            var type = kconfig.Definitions(symbol).FirstOrDefault()?.Type ?? "unknown";
            return new OptionCheck(r, actual, false,
                $"'{r.Name}' given to {r.Origin["scripts/config ".Length..]} writes CONFIG_{r.Name}={r.Value}, which Kconfig ignores " +
                $"({symbol} is {Article(type)} {type}): use --set-val {symbol} {intended}");
        }
        if (r.Value == "undef") return new OptionCheck(r, actual, !final.Has(symbol) || final[symbol] == "n", "still set");
        if (Stuck(r.Value, final, symbol)) return new OptionCheck(r, actual, true, "");
        return new OptionCheck(r, actual, false, Explain(r, final, kconfig));
    }

    private static bool Stuck(string wanted, DotConfig final, string symbol) =>
        wanted == "n" ? final[symbol] == "n" : final.Has(symbol) && final[symbol] == wanted;

    private static string Explain(RequestedOption r, DotConfig final, KconfigTree kconfig)
    {
        var symbol = r.Symbol;
        var defs = kconfig.Definitions(symbol);
        if (defs.Count == 0)
            return $"unknown symbol: no 'config {symbol}' in this tree's Kconfig (misspelt, or not in this kernel version)";
        var type = defs.Select(d => d.Type).FirstOrDefault(t => t.Length > 0) ?? "";
        var wantsTristate = r.Value is "y" or "m" or "n";
        if (type is "int" or "hex" or "string" && wantsTristate && r.Value != "n")
            return $"{symbol} is {Article(type)} {type}, not a switch: give it a value (--set-{(type == "string" ? "str" : "val")} {symbol} VALUE)";
        if (type is "bool" or "tristate" && !wantsTristate)
            return $"{symbol} is {Article(type)} {type}: '{r.Value}' is not y, m or n";
        if (type == "bool" && r.Value == "m")
            return $"{symbol} is a bool: it cannot be a module";
        if (r.Value == "m" && final["MODULES"] != "y")
            return $"{symbol}=m needs MODULES=y (MODULES={final["MODULES"]})";
        if (r.Value == "n")
        {
            var selectors = kconfig.SelectedBy(symbol).Where(s => KconfigExpression.Evaluate(s.Replace(" if ", " && ", StringComparison.Ordinal), final) > 0).Distinct().ToList();
            return selectors.Count > 0
                ? $"forced on by 'select' from {string.Join(", ", selectors)}"
                : $"{symbol} has no prompt or a default it returns to";
        }
        var need = r.Value == "m" ? 1 : 2;
        var reasons = new List<string>();
        foreach (var def in defs)
        {
            var unmet = def.AllConditions.Where(c => KconfigExpression.Evaluate(c, final) < need).ToList();
            if (unmet.Count == 0) continue;
            reasons.Add(string.Join("; ", unmet.Select(c =>
            {
                var symbols = KconfigExpression.Symbols(c).Where(s => !s.All(char.IsAsciiDigit)).Select(s => $"{s}={final[s]}{HowToGet(s, final, kconfig)}");
                return $"depends on '{c}' ({string.Join(", ", symbols)}) [{def.File}:{def.Line}]";
            })));
        }
        if (reasons.Count == defs.Count) return string.Join(" | or | ", reasons.Distinct());
        var choice = defs.Select(d => d.Choice).FirstOrDefault(c => c is not null);
        if (choice is not null)
        {
            var chosen = final.Values.Where(kv => kv.Value == "y" && kv.Key != symbol
                && kconfig.Definitions(kv.Key).Any(d => d.Choice == choice)).Select(kv => kv.Key).ToList();
            return $"lost the choice '{choice}' to {(chosen.Count > 0 ? string.Join(", ", chosen) : "its default")} (ask for the member and disable the others)";
        }
        if (defs.All(d => !d.HasPrompt))
        {
            var selectors = kconfig.SelectedBy(symbol);
            return $"{symbol} has no prompt: only 'select' turns it on" + (selectors.Count > 0 ? $" (selected by {string.Join(", ", selectors.Distinct().Take(6))})" : "");
        }
        if (type is "int" or "hex" or "string")
            return $"value '{r.Value}' was not kept (out of its range, or overridden); now {final[symbol]}";
        return $"dependencies look met but olddefconfig set {final[symbol]}: check 'make menuconfig' (search {symbol})";
    }

    /// <summary>For an off symbol the user cannot set directly: who would select it.</summary>
    private static string HowToGet(string symbol, DotConfig final, KconfigTree kconfig)
    {
        if (final[symbol] != "n" || kconfig.Definitions(symbol) is not { Count: > 0 } defs || defs.Any(d => d.HasPrompt)) return "";
        var by = kconfig.SelectedBy(symbol);
        return by.Count == 0 ? " (no prompt)" : $" (no prompt; selected by {string.Join(", ", by.Distinct().Take(4))})";
    }

    private static string Article(string type) => type is "int" or "hex" ? "an" : "a";
}
