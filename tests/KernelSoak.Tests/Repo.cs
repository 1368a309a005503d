namespace KernelSoak.Tests;

/// <summary>Paths of the checkout the tests run from.</summary>
public static class Repo
{
    public static string Root { get; } = Find();

    public static string TestData(params string[] parts) =>
        Path.Combine([TestContext.CurrentContext.TestDirectory, "testdata", .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "build.sh")) && Directory.Exists(Path.Combine(dir.FullName, "campaigns")))
                return dir.FullName;
        throw new InvalidOperationException("repository root not found above the test directory");
    }
}
