using System.Runtime.InteropServices;

namespace KernelSoak.Steps;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM during a run: the first cancels <see cref="Token"/>, so the running step
/// hangs up its remote commands (their process groups are killed on the board) and journals itself as
/// cancelled; a second signal is left to its default, which ends the process at once, as a shell user expects.
/// </summary>
public sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly Action<string> _say;
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _signals;

    public Interruption(Action<string> say, bool listen = true)
    {
        _say = say;
        if (!listen) return;
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            _registrations.Add(PosixSignalRegistration.Create(signal, context => context.Cancel = Handle(context.Signal.ToString())));
    }

    public CancellationToken Token => _source.Token;

    /// <summary>One signal's handling: true to swallow it (the first: cancel the step), false to let it end the process (any later one).</summary>
    public bool Handle(string signal)
    {
        if (Interlocked.Increment(ref _signals) > 1)
        {
            _say($"{signal} again: exiting at once (the board may be left mid-step; the next run resumes from the journal)");
            return false;
        }
        _say($"{signal}: stopping the running step (its commands on the board are killed, the journal records it); {signal} again exits at once");
        _source.Cancel();
        return true;
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _source.Dispose();
    }
}
