using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace KernelSoak.Lava.Logs;

/// <summary>
/// A LAVA job log (the YAML log format of GET /api/v0.2/jobs/{id}/logs/): a YAML sequence with one flow
/// mapping a line, "- {"dt": …, "lvl": …, "msg": …}". LAVA writes each as JSON, so a line is read as JSON
/// (fast, a log holds 10⁴–10⁵ of them); a line that is not is read as YAML, and a log that is not line-shaped
/// at all is read whole as a YAML document.
/// </summary>
public sealed partial class LavaLog
{
    public IReadOnlyList<LavaLogEntry> Entries { get; }

    private LavaLog(IReadOnlyList<LavaLogEntry> entries) => Entries = entries;

    public static LavaLog Parse(string yaml)
    {
        var entries = new List<LavaLogEntry>();
        foreach (var raw in yaml.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0) continue;
            if (!line.StartsWith("- ", StringComparison.Ordinal)) return ParseDocument(yaml);
            entries.Add(FromJson(line[2..]) ?? FromYaml(line[2..]));
        }
        return new LavaLog(entries);
    }

    /// <summary>
    /// The board's console line by line, with when LAVA read it: the kernel log (and LAVA's typing, echoed)
    /// our classifier reads. LAVA's own escaping of double quotes is undone (it writes a kernel's "(null)" as
    /// \"(null)\"), and terminal escapes (busybox's prompt asks for the cursor position) are removed.
    /// </summary>
    public IEnumerable<ConsoleLine> ConsoleLines() =>
        Entries.Where(e => e.IsConsole && e.Text is not null)
            .SelectMany(e => e.Text!.Split('\n').Select(t => new ConsoleLine(TerminalEscape().Replace(t.TrimEnd('\r').Replace("\\\"", "\"", StringComparison.Ordinal), ""), e.Time)));

    public IEnumerable<LavaResult> Results() => Entries.Select(LavaResult.From).OfType<LavaResult>();

    /// <summary>LAVA's verdict on the job itself (definition lava, case job): its error_type says whose failure it was.</summary>
    public LavaResult? JobResult => Results().LastOrDefault(r => r is { Definition: "lava", Case: "job" });

    private static LavaLogEntry? FromJson(string text)
    {
        try
        {
            if (JsonNode.Parse(text) is not JsonObject o) return null;
            var msg = o["msg"];
            return new LavaLogEntry(
                (string?)o["lvl"] ?? "",
                msg is JsonValue v && v.TryGetValue<string>(out var s) ? s : null,
                msg as JsonObject,
                Time((string?)o["dt"]));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The YAML text loaded; a parse error is a <see cref="FormatException"/> saying what was being read.</summary>
    private static YamlStream LoadYaml(string text, Func<YamlDotNet.Core.YamlException, string> what)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new FormatException(what(e), e);
        }
        return stream;
    }

    private static LavaLogEntry FromYaml(string text)
    {
        var stream = LoadYaml(text, e => $"a LAVA log entry that is neither JSON nor YAML: {Cut(text)} ({e.Message})");
        return FromNode(stream.Documents.Count == 1 ? stream.Documents[0].RootNode : throw new FormatException($"an empty LAVA log entry: {Cut(text)}"));
    }

    private static LavaLog ParseDocument(string yaml)
    {
        var stream = LoadYaml(yaml, e => $"not a LAVA log (YAML): {e.Message}");
        if (stream.Documents.Count == 0) return new LavaLog([]);
        if (stream.Documents[0].RootNode is not YamlSequenceNode items) throw new FormatException("not a LAVA log: the document is not a sequence of entries");
        return new LavaLog(items.Select(FromNode).ToList());
    }

    private static LavaLogEntry FromNode(YamlNode node)
    {
        if (node is not YamlMappingNode map) throw new FormatException($"a LAVA log entry is a mapping, not {node.NodeType}");
        string? Scalar(string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;
        map.Children.TryGetValue(new YamlScalarNode("msg"), out var msg);
        return new LavaLogEntry(Scalar("lvl") ?? "", (msg as YamlScalarNode)?.Value, msg is YamlMappingNode m ? ToJson(m) : null, Time(Scalar("dt")));
    }

    private static JsonObject ToJson(YamlMappingNode map)
    {
        var o = new JsonObject();
        foreach (var (key, value) in map.Children)
            o[((YamlScalarNode)key).Value ?? ""] = value switch
            {
                YamlScalarNode s => JsonValue.Create(s.Value),
                YamlMappingNode m => ToJson(m),
                _ => null, // sequences (extra lists) are not read
            };
        return o;
    }

    private static DateTime? Time(string? text) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    // LAVA drops the ESC byte itself and leaves "[6n", the cursor query busybox's line editor prints with each prompt.
    [System.Text.RegularExpressions.GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]|\[6n")]
    private static partial System.Text.RegularExpressions.Regex TerminalEscape();

    private static string Cut(string text) => text.Length <= 200 ? text : text[..200] + " …";
}
