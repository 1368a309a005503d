using Cake.Core;

namespace Cake.Frosting;

/// <summary>Base for a build's context: Cake's context plus the build's own state.</summary>
public class FrostingContext(ICakeContext context) : CakeContextAdapter(context), IFrostingContext;

public interface IFrostingContext : ICakeContext;

/// <summary>Runs once around the whole build, like Cake.Frosting's FrostingLifetime.</summary>
public abstract class FrostingLifetime<TContext> : IFrostingLifetime where TContext : ICakeContext
{
    public abstract void Setup(TContext context, ISetupContext info);
    public abstract void Teardown(TContext context, ITeardownContext info);
    void IFrostingSetup.Setup(ICakeContext context, ISetupContext info) => Setup((TContext)context, info);
    void IFrostingTeardown.Teardown(ICakeContext context, ITeardownContext info) => Teardown((TContext)context, info);
}

public interface IFrostingLifetime : IFrostingSetup, IFrostingTeardown;

public interface IFrostingSetup
{
    void Setup(ICakeContext context, ISetupContext info);
}

public interface IFrostingTeardown
{
    void Teardown(ICakeContext context, ITeardownContext info);
}
