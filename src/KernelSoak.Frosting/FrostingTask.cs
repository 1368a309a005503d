using Cake.Core;

namespace Cake.Frosting;

/// <summary>What the host needs of any task, sync or async, typed or generated at run time.</summary>
public interface IFrostingTask
{
    Task RunAsync(ICakeContext context);
    bool ShouldRun(ICakeContext context);
    void OnError(Exception exception, ICakeContext context);
    void Finally(ICakeContext context);
}

// As in Cake.Frosting, the sync and async bases are siblings (a sync task has no RunAsync of its own), so the
// three hooks are declared in each: a shared public base would be a type the real package does not have.
public abstract class AsyncFrostingTask<TContext> : IFrostingTask where TContext : ICakeContext
{
    public virtual Task RunAsync(TContext context) => Task.CompletedTask;
    public virtual bool ShouldRun(TContext context) => true;
    public virtual void OnError(Exception exception, TContext context) { }
    public virtual void Finally(TContext context) { }

    Task IFrostingTask.RunAsync(ICakeContext context) => RunAsync((TContext)context);
    bool IFrostingTask.ShouldRun(ICakeContext context) => ShouldRun((TContext)context);
    void IFrostingTask.OnError(Exception exception, ICakeContext context) => OnError(exception, (TContext)context);
    void IFrostingTask.Finally(ICakeContext context) => Finally((TContext)context);
}

public abstract class FrostingTask<TContext> : IFrostingTask where TContext : ICakeContext
{
    public virtual void Run(TContext context) { }
    public virtual bool ShouldRun(TContext context) => true;
    public virtual void OnError(Exception exception, TContext context) { }
    public virtual void Finally(TContext context) { }

    Task IFrostingTask.RunAsync(ICakeContext context)
    {
        Run((TContext)context);
        return Task.CompletedTask;
    }
    bool IFrostingTask.ShouldRun(ICakeContext context) => ShouldRun((TContext)context);
    void IFrostingTask.OnError(Exception exception, ICakeContext context) => OnError(exception, (TContext)context);
    void IFrostingTask.Finally(ICakeContext context) => Finally((TContext)context);
}

public abstract class FrostingTask : FrostingTask<ICakeContext>;
