namespace KernelSoak.Soak;

/// <summary>A window the series search sized: every workload runs this long, and the window ends at the first report <paramref name="StopOn"/> accepts.</summary>
public sealed record ProbeWindow(double Seconds, Func<string, bool> StopOn);
