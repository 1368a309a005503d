namespace KernelSoak.Kernel.Kconfig;

/// <summary>
/// Kconfig's tristate logic (n=0, m=1, y=2): &amp;&amp; is min, || is max, ! is 2-x, comparisons give y or n.
/// Evaluated against a .config, and able to name the symbols of a failing expression.
/// </summary>
public static class KconfigExpression
{
    public static int Evaluate(string expression, DotConfig config) => new Parser(Tokenize(expression), config).Parse();

    public static IReadOnlyList<string> Symbols(string expression) =>
        Tokenize(expression).Where(t => IsSymbol(t)).Distinct().ToList();

    private static bool IsSymbol(string token) =>
        token.Length > 0 && (char.IsAsciiLetterUpper(token[0]) || token[0] == '_' || char.IsAsciiDigit(token[0]))
        && token.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_') && token is not ("y" or "m" or "n");

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '#') break;   // trailing comment
            if (c is '"' or '\'')
            {
                var end = text.IndexOf(c, i + 1);
                if (end < 0) end = text.Length - 1;
                tokens.Add(text[i..(end + 1)]);
                i = end + 1;
                continue;
            }
            var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
            if (two is "&&" or "||" or "!=" or "<=" or ">=") { tokens.Add(two); i += 2; continue; }
            if (c is '!' or '(' or ')' or '=' or '<' or '>') { tokens.Add(c.ToString()); i++; continue; }
            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && "!()=<>&|\"'".IndexOf(text[i]) < 0) i++;
            if (i == start) i++;   // a stray character: skip it
            else tokens.Add(text[start..i]);
        }
        return tokens;
    }

    private sealed class Parser(List<string> tokens, DotConfig config)
    {
        private int _at;

        public int Parse() => tokens.Count == 0 ? 2 : Or();

        private string? Peek => _at < tokens.Count ? tokens[_at] : null;

        private int Or()
        {
            var v = And();
            while (Peek == "||") { _at++; v = Math.Max(v, And()); }
            return v;
        }

        private int And()
        {
            var v = Unary();
            while (Peek == "&&") { _at++; v = Math.Min(v, Unary()); }
            return v;
        }

        private int Unary()
        {
            if (Peek == "!") { _at++; return 2 - Unary(); }
            if (Peek == "(")
            {
                _at++;
                var v = Or();
                if (Peek == ")") _at++;
                return v;
            }
            var left = Peek ?? "n";
            _at++;
            if (Peek is "=" or "!=" or "<" or ">" or "<=" or ">=")
            {
                var op = Peek;
                _at++;
                var right = Peek ?? "";
                _at++;
                return Compare(Value(left), Value(right), op) ? 2 : 0;
            }
            return Tristate(Value(left));
        }

        private string Value(string token)
        {
            if (token.Length >= 2 && token[0] is '"' or '\'') return token[1..^1];
            if (token is "y" or "m" or "n") return token;
            return IsSymbol(token) && !token.All(char.IsAsciiDigit) ? config[token] : token;
        }

        private static int Tristate(string value) => value switch { "y" => 2, "m" => 1, _ => 0 };

        private static bool Compare(string a, string b, string op)
        {
            int cmp;
            if (long.TryParse(a, out var x) && long.TryParse(b, out var y)) cmp = x.CompareTo(y);
            else if (a is "y" or "m" or "n" && b is "y" or "m" or "n") cmp = Tristate(a).CompareTo(Tristate(b));
            else cmp = string.CompareOrdinal(a, b);
            return op switch
            {
                "=" => cmp == 0,
                "!=" => cmp != 0,
                "<" => cmp < 0,
                ">" => cmp > 0,
                "<=" => cmp <= 0,
                _ => cmp >= 0,
            };
        }
    }
}
