// Usage: BoardBench deploy <board dir> <manifest.json> | latency <board dir> <udp port> | reboot <board dir> <cycles>
using KernelSoak.Bench;

return args[0] switch
{
    "deploy" => await DeployBench.RunAsync(args[1], args[2]),
    "latency" => await LatencyBench.RunAsync(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)),
    "reboot" => await RebootBench.RunAsync(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)),
    _ => 2,
};
