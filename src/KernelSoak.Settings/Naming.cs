namespace KernelSoak.Settings;

/// <summary>A host path as a user writes it: a leading "~/" is the user's home (cake.config, arguments, campaigns).</summary>
public static class HostPaths
{
    /// <summary>Only "~/": "~user/" and a "~" later in the path stay as written, as a shell would leave them here.</summary>
    public static string ExpandHome(string path) => path.StartsWith("~/", StringComparison.Ordinal)
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..]) : path;
}

/// <summary>Property names as file keys: IdentityFile → Identity_File / identity-file (an acronym stays one word).</summary>
public static class PascalCase
{
    public static string Split(string pascal, char separator)
    {
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]) && !char.IsUpper(pascal[i - 1])) sb.Append(separator);
            sb.Append(pascal[i]);
        }
        return sb.ToString();
    }
}
