namespace KernelSoak.Build;

/// <summary>The checkout the build runs in: where cake.config and campaigns/ are.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        var fromEnv = Environment.GetEnvironmentVariable("KERNELSOAK_ROOT");
        if (!string.IsNullOrEmpty(fromEnv)) return Path.GetFullPath(fromEnv);
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "build.sh")) && Directory.Exists(Path.Combine(dir.FullName, "campaigns")))
                    return dir.FullName;
        }
        return Environment.CurrentDirectory;
    }
}
