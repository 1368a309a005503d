namespace KernelSoak.Boards;

/// <summary>The board's power, whatever switches it: a QEMU monitor, a USB relay, a person.</summary>
public interface IPowerSwitch
{
    bool IsOn { get; }
    Task OnAsync(CancellationToken cancellation = default);
    Task OffAsync(CancellationToken cancellation = default);
    /// <summary>Hard reset, as the reset button or a power cycle.</summary>
    Task ResetAsync(CancellationToken cancellation = default);
}
