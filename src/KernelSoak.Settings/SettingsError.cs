namespace KernelSoak.Settings;

/// <summary>A setting that cannot be used, with where it came from (file:line, env var or argument).</summary>
public sealed class SettingsException(string message) : Exception(message);
