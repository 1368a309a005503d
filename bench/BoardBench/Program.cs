// Usage: BoardBench deploy <board dir> <manifest.json> cold|nochange | pipe <board dir> <file> <remote command> <KiB per write> | latency <board dir> <udp port> | reboot <board dir> <cycles>
using KernelSoak.Bench;

return args[0] switch
{
    "deploy" => await DeployBench.RunAsync(args[1], args[2], args[3]),
    "latency" => await LatencyBench.RunAsync(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)),
    "pipe" => await PipeBench.RunAsync(args[1], args[2], args[3], int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture)),
    "reboot" => await RebootBench.RunAsync(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)),
    _ => 2,
};
