namespace Cake.Frosting;

/// <summary>
/// Not a Cake.Frosting type: build/Plans/BootPlan.cs and PreflightPlan.cs, being edited on another branch,
/// still throw it by this full name. It goes once they say <see cref="KernelSoak.Frosting.UserErrorException"/>
/// (FrostingSurfaceTests lists it as the one pending extra).
/// </summary>
public sealed class UserErrorException(string message, Exception? inner = null) : KernelSoak.Frosting.UserErrorException(message, inner);
