using KernelSoak.Steps;

namespace KernelSoak.Tests.Steps;

/// <summary>What a step runner said, warnings marked "WARN ".</summary>
public sealed class SaidLines : IStepLog
{
    public List<string> Lines { get; } = [];
    public void Info(string message) => Lines.Add(message);
    public void Warn(string message) => Lines.Add("WARN " + message);
}
