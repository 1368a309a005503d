using System.Collections;
using KernelSoak.Campaigns;
using KernelSoak.Reports;
using KernelSoak.Settings;

// Exit codes as the task host's Classify: 0 done, 2 a user error; 100 = not a Classify command line this
// program reads (build.sh then runs the task host, which answers every command line).
const int NotMine = 100;
if (ClassifyCommandLine.Parse(args) is not { } arguments) return NotMine;
try
{
    var root = Environment.GetEnvironmentVariable("KERNELSOAK_ROOT") is { Length: > 0 } r ? Path.GetFullPath(r) : Environment.CurrentDirectory;
    var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
        .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
    var (settings, rest) = KernelSoakSettings.Load(root, environment, arguments.Values);
    var campaign = CampaignLoader.Load(CampaignLoader.Resolve(settings.Campaign.Name, root));
    string? Arg(string name) => rest.LastOrDefault(a => a.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
    ClassifyRun.Run(Arg("log"), Arg("format"), arguments.Quiet, campaign.Monitor.Suppress, Console.Out.WriteLine);
    return 0;
}
catch (Exception e) when (e is ArgumentException or SettingsException or CampaignException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
