using System.Diagnostics;

namespace KernelSoak.Kernel;

/// <summary>The cross compiler's identity (part of every build fingerprint).</summary>
public static class Toolchain
{
    public static string Version(string crossCompile)
    {
        var gcc = crossCompile + "gcc";
        try
        {
            using var p = Process.Start(new ProcessStartInfo(gcc, "--version") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var first = p.StandardOutput.ReadLine() ?? "";
            p.WaitForExit();
            return first;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException($"the cross compiler {gcc} is not installed: apt-get install gcc-{crossCompile.TrimEnd('-')}");
        }
    }
}
