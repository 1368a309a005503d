using System.Text.Json;
using Cake.Frosting;
using KernelSoak.Reports;

namespace KernelSoak.Build.Tasks;

[TaskName("Classify")]
[TaskDescription("Splits a saved kernel log or console capture (--log=FILE) into reports with class, title and guilty frame (--format=json)")]
public sealed class ClassifyTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context)
    {
        var log = context.Argument("log") ?? throw new UserErrorException("Classify needs --log=FILE (a dmesg, console capture, journalctl or pstore file)");
        if (!File.Exists(log)) throw new UserErrorException($"--log={log}: no such file");
        IReadOnlyList<KernelSoak.Reports.KernelReport> reports;
        using (var reader = new StreamReader(log, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 20))
            reports = ReportScanner.Scan(reader, Path.GetFileName(log));
        var book = new ReportBook(context.Campaign.Monitor.Suppress);
        foreach (var r in reports) book.Add(r);
        if (string.Equals(context.Argument("format"), "json", StringComparison.OrdinalIgnoreCase))
        {
            var json = book.Reports.Select(e => new
            {
                @class = e.First.ClassName, title = e.First.Title, first_line = e.First.FirstLine, guilty = e.First.GuiltyFunction,
                source = e.First.Source, line = e.First.LineNumber, timestamp = e.First.Timestamp, count = e.Count, text = e.First.Text,
            });
            Console.Out.WriteLine(JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
            return;
        }
        context.Output.Info($"{log}: {reports.Count} report(s), {book.Reports.Count} distinct title(s){(book.Suppressed.Count > 0 ? $", {book.Suppressed.Count} suppressed as known noise" : "")}");
        foreach (var e in book.Reports)
            context.Output.Info($"  {e.First.ClassName,-16} {e.First.Title}   (line {e.First.LineNumber}{(e.First.Timestamp is { } t ? $", {t:0.000000} s" : "")}{(e.Count > 1 ? $", ×{e.Count}" : "")})");
    }
}
