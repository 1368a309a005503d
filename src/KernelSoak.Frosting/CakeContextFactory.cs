using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Packaging;
using Cake.Core.Tooling;

namespace KernelSoak.Frosting;

/// <summary>Wires Cake.Core's services by hand (Cake 7's CakeContext takes twelve of them).</summary>
public static class CakeContextFactory
{
    public static ICakeContext Create(ICakeLog log, HostArguments arguments)
    {
        var fileSystem = new FileSystem();
        var environment = new CakeEnvironment(new CakePlatform(), new CakeRuntime());
        var globber = new Globber(fileSystem, environment);
        var configuration = new CakeConfiguration(new Dictionary<string, string>());
        var toolLocator = new ToolLocator(environment, new ToolRepository(environment),
            new ToolResolutionStrategy(fileSystem, environment, globber, configuration, log));
        var processRunner = new ProcessRunner(fileSystem, environment, log, toolLocator, configuration);
        var lookup = arguments.Values.ToLookup(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);
        return new CakeContext(fileSystem, environment, globber, log, new CakeArguments(lookup), processRunner,
            new WindowsRegistry(), toolLocator, new CakeDataService(), configuration, new NoToolInstaller(), new NoServices());
    }

    /// <summary>Tools come from the host's package manager here, never from Cake's #tool directive.</summary>
    private sealed class NoToolInstaller : IToolInstaller
    {
        public IEnumerable<FilePath> Install(PackageReference tool) =>
            throw new NotSupportedException($"installing Cake tools is not supported by this host ({tool.Package})");
    }

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
