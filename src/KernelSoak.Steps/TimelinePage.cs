using System.Net;
using System.Text;
using System.Text.Json;
using KernelSoak.Journal;

namespace KernelSoak.Steps;

/// <summary>
/// artifacts/&lt;campaign&gt;/timeline.html: the journal on a time axis — each step as a bar (failed ones
/// red, stress windows amber), notes such as "reboot issued" as marks, verdicts on their step. One
/// self-contained file (no network, no library): the data is embedded and a few lines of script draw it;
/// a plain table below says the same for a reader without script.
/// </summary>
public static class TimelinePage
{
    private sealed record Bar(string Step, double Start, double End, string Outcome, string? Detail);
    private sealed record Mark(string Step, double At, string Note);

    public static string Render(string title, IReadOnlyList<JournalEntry> entries)
    {
        var origin = entries.Count > 0 ? entries.Min(e => e.At) : DateTimeOffset.UnixEpoch;
        double T(DateTimeOffset at) => Math.Round((at - origin).TotalSeconds, 1);
        var (ended, open) = StepSpan.Of(entries);
        var bars = ended.Select(s => new Bar(s.Step, T(s.Start), T(s.End.At), s.End.Outcome ?? "", Detail(s.End))).ToList();
        var marks = entries.Where(e => e.Event == JournalEvent.Note).Select(e => new Mark(e.Step, T(e.At), e.Note ?? "")).ToList();
        // A step still open (the run was killed inside it) ends at the journal's last entry.
        var last = entries.Count > 0 ? T(entries.Max(e => e.At)) : 0;
        bars.AddRange(open.Select(o => new Bar(o.Key, T(o.Value), last, "interrupted", null)));
        var data = JsonSerializer.Serialize(new { origin, bars, marks });
        var table = new StringBuilder();
        foreach (var b in bars)
            table.Append($"<tr><td>{Enc(b.Step)}</td><td>{b.Start:0.0}</td><td>{b.End - b.Start:0.0}</td><td>{Enc(b.Outcome)}</td><td>{Enc(b.Detail ?? "")}</td></tr>\n");
        return Template.Replace("{{title}}", Enc(title), StringComparison.Ordinal)
            .Replace("{{data}}", data.Replace("</", "<\\/", StringComparison.Ordinal), StringComparison.Ordinal)
            .Replace("{{rows}}", table.ToString(), StringComparison.Ordinal);
    }

    private static string? Detail(JournalEntry e) =>
        e.Outputs?.GetValueOrDefault("verdict") is { } v ? $"verdict: {v}" : e.Outcome == Outcomes.Ok ? null : e.Note;

    private static string Enc(string s) => WebUtility.HtmlEncode(s);

    private const string Template = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{{title}}</title>
        <style>
        body{font:13px system-ui,sans-serif;margin:1em}
        #axis{position:relative;margin-left:16em}
        .row{position:relative;height:18px;border-bottom:1px solid #eee}
        .name{position:absolute;left:-16em;width:15.5em;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
        .bar{position:absolute;top:3px;height:12px;background:#4a7;min-width:2px}
        .bar.failed,.bar.interrupted{background:#c33}.bar.stress{background:#e90}
        .mark{position:absolute;top:0;width:2px;height:18px;background:#36c}
        table{border-collapse:collapse;margin-top:2em}td,th{border:1px solid #ccc;padding:2px 6px}
        </style></head>
        <body><h1>{{title}}</h1><p id="span"></p><div id="axis"></div>
        <table><tr><th>step</th><th>start (s)</th><th>took (s)</th><th>outcome</th><th>detail</th></tr>
        {{rows}}</table>
        <script>
        const d = {{data}};
        const end = Math.max(1, ...d.bars.map(b => b.End), ...d.marks.map(m => m.At));
        const axis = document.getElementById('axis'), width = Math.max(400, axis.clientWidth || 800);
        const x = s => (s / end * 100) + '%';
        document.getElementById('span').textContent = `from ${d.origin}, ${Math.round(end)} s in all`;
        const rows = {};
        const row = step => {
          if (rows[step]) return rows[step];
          const r = document.createElement('div'); r.className = 'row';
          const n = document.createElement('div'); n.className = 'name step-name'; n.textContent = step; r.appendChild(n);
          axis.appendChild(r); return rows[step] = r;
        };
        for (const b of d.bars) {
          const e = document.createElement('div');
          e.className = 'bar ' + (b.Outcome !== 'ok' ? b.Outcome : b.Step.endsWith('/stress') ? 'stress' : '');
          e.style.left = x(b.Start); e.style.width = x(b.End - b.Start);
          e.title = `${b.Step}: ${(b.End - b.Start).toFixed(1)} s, ${b.Outcome}${b.Detail ? ', ' + b.Detail : ''}`;
          row(b.Step).appendChild(e);
        }
        for (const m of d.marks) {
          const e = document.createElement('div'); e.className = 'mark'; e.style.left = x(m.At);
          e.title = `${m.Step}: ${m.Note}`; row(m.Step).appendChild(e);
        }
        </script></body></html>
        """;
}
