using Cake.Core;
using Cake.Core.Diagnostics;

namespace KernelSoak.Frosting;

/// <summary>
/// Cake's console writes ANSI even when redirected; this one colours only a terminal without NO_COLOR.
/// </summary>
public sealed class HostConsole : IConsole
{
    private readonly TextWriter _out;
    private readonly TextWriter _err;

    public HostConsole(TextWriter? output = null, TextWriter? error = null, bool? color = null)
    {
        _out = output ?? Console.Out;
        _err = error ?? Console.Error;
        UseColor = color ?? DetectColor();
    }

    public bool UseColor { get; }
    public ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
    public ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
    public bool SupportAnsiEscapeCodes => UseColor;

    public static bool DetectColor() =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
        && !Console.IsOutputRedirected
        && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb");

    public void Write(string format, params object[] arg) => Write(Format(format, arg));
    public void Write(string value) => _out.Write(Paint(value));
    public void WriteLine(string format, params object[] arg) => WriteLine(Format(format, arg));
    public void WriteLine(string value) => _out.WriteLine(Paint(value));
    public void WriteError(string format, params object[] arg) => WriteError(Format(format, arg));
    public void WriteError(string value) => _err.Write(Paint(value));
    public void WriteErrorLine(string format, params object[] arg) => WriteErrorLine(Format(format, arg));
    public void WriteErrorLine(string value) => _err.WriteLine(Paint(value));
    public void ResetColor() => ForegroundColor = ConsoleColor.Gray;

    private static string Format(string format, object[] args) => args.Length == 0 ? format : string.Format(format, args);

    private string Paint(string value)
    {
        if (!UseColor || ForegroundColor == ConsoleColor.Gray) return value;
        var code = ForegroundColor switch
        {
            ConsoleColor.Red or ConsoleColor.DarkRed => 31,
            ConsoleColor.Green or ConsoleColor.DarkGreen => 32,
            ConsoleColor.Yellow or ConsoleColor.DarkYellow => 33,
            ConsoleColor.Blue or ConsoleColor.DarkBlue => 34,
            ConsoleColor.Magenta or ConsoleColor.DarkMagenta => 35,
            ConsoleColor.Cyan or ConsoleColor.DarkCyan => 36,
            ConsoleColor.DarkGray => 90,
            _ => 37,
        };
        return $"\u001b[{code}m{value}\u001b[0m";
    }
}

/// <summary>Cake log on <see cref="HostConsole"/>; errors and warnings go to stderr.</summary>
public sealed class HostLog(HostConsole console, Verbosity verbosity) : ICakeLog
{
    private readonly Lock _gate = new();
    public Verbosity Verbosity { get; set; } = verbosity;

    public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args)
    {
        if (verbosity > Verbosity) return;
        var text = args.Length == 0 ? format : string.Format(format, args);
        lock (_gate)
        {
            console.ForegroundColor = level switch
            {
                LogLevel.Fatal or LogLevel.Error => ConsoleColor.Red,
                LogLevel.Warning => ConsoleColor.Yellow,
                LogLevel.Verbose or LogLevel.Debug => ConsoleColor.DarkGray,
                _ => ConsoleColor.Gray,
            };
            if (level <= LogLevel.Warning) console.WriteErrorLine(text);
            else console.WriteLine(text);
            console.ResetColor();
        }
    }
}
