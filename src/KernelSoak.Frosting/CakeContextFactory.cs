using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Packaging;
using Cake.Core.Tooling;
using KernelSoak.Settings;

namespace KernelSoak.Frosting;

/// <summary>Wires Cake.Core's services by hand (Cake 7's CakeContext takes twelve of them).</summary>
public static class CakeContextFactory
{
    /// <param name="configurationDirectory">Where cake.config is; null = the working directory, as in Cake.</param>
    public static ICakeContext Create(ICakeLog log, HostArguments arguments, string? configurationDirectory = null)
    {
        var fileSystem = new FileSystem();
        var environment = new CakeEnvironment(new CakePlatform(), new CakeRuntime());
        var globber = new Globber(fileSystem, environment);
        var configuration = Configuration(environment, arguments, configurationDirectory);
        var toolLocator = new ToolLocator(environment, new ToolRepository(environment),
            new ToolResolutionStrategy(fileSystem, environment, globber, configuration, log));
        var processRunner = new ProcessRunner(fileSystem, environment, log, toolLocator, configuration);
        var lookup = arguments.Values.ToLookup(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);
        return new CakeContext(fileSystem, environment, globber, log, new CakeArguments(lookup), processRunner,
            new WindowsRegistry(), toolLocator, new CakeDataService(), configuration, new NoToolInstaller(), new NoServices());
    }

    /// <summary>
    /// Cake's configuration merged as Cake's CakeConfigurationProvider merges it: CAKE_* variables, then cake.config's
    /// [Section] Key as Section_Key, then the --name=value arguments (last wins). The file is read with our INI
    /// reader, not Cake's: Cake's refuses an empty value ("Key ="), which our cake.config uses for "not set".
    /// </summary>
    public static ICakeConfiguration Configuration(ICakeEnvironment environment, HostArguments arguments, string? configurationDirectory)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in environment.GetEnvironmentVariables())
            if (key.StartsWith("CAKE_", StringComparison.OrdinalIgnoreCase)) values[key[5..]] = value;
        var path = System.IO.Path.Combine(configurationDirectory ?? environment.WorkingDirectory.FullPath, "cake.config");
        try
        {
            if (File.Exists(path))
                foreach (var entry in IniFile.Parse(File.ReadAllText(path), "cake.config"))
                    values[$"{entry.Section}_{entry.Key}"] = entry.Value;
        }
        catch (SettingsException e)
        {
            throw new UserErrorException(e.Message, e);
        }
        foreach (var (key, value) in arguments.Values) values[key] = value;
        // Cake looks keys up upper-cased and trimmed (its KeyNormalizer); the dictionary ignores case already.
        return new CakeConfiguration(values.ToDictionary(kv => kv.Key.Trim(), kv => kv.Value, StringComparer.OrdinalIgnoreCase));
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
