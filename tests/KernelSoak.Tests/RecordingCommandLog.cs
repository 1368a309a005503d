using KernelSoak.Processes;

namespace KernelSoak.Tests;

/// <summary>The command lines a test's runner started, in order (what the user's log would show).</summary>
public sealed class RecordingCommandLog : ICommandLog
{
    public List<string> Lines { get; } = [];
    public void Started(CommandLine command) => Lines.Add(command.ToString());
    public void Finished(CommandResult result) { }
}
