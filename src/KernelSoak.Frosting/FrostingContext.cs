using Cake.Core;

namespace Cake.Frosting;

/// <summary>Base for a build's context: Cake's context plus the build's own state.</summary>
public class FrostingContext(ICakeContext context) : CakeContextAdapter(context), IFrostingContext;

public interface IFrostingContext : ICakeContext;

/// <summary>Runs once around the whole build, like Cake.Frosting's FrostingLifetime.</summary>
public abstract class FrostingLifetime<TContext> : IFrostingLifetime where TContext : ICakeContext
{
    public virtual void Setup(TContext context, ISetupContext info) { }
    public virtual void Teardown(TContext context, ITeardownContext info) { }
    void IFrostingLifetime.Setup(ICakeContext context, ISetupContext info) => Setup((TContext)context, info);
    void IFrostingLifetime.Teardown(ICakeContext context, ITeardownContext info) => Teardown((TContext)context, info);
}

public interface IFrostingLifetime
{
    void Setup(ICakeContext context, ISetupContext info);
    void Teardown(ICakeContext context, ITeardownContext info);
}
