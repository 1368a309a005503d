using KernelSoak.Settings;

namespace KernelSoak.Boards.Consoles;

/// <summary>The console [Console] names, opened and capturing to a file; a setting that cannot work is named.</summary>
public static class ConsoleFactory
{
    /// <param name="emulated">the emulated board's own console, for Kind = qemu (null when there is no emulated board)</param>
    /// <returns>null for Kind = none</returns>
    public static async Task<IConsole?> OpenAsync(ConsoleSettings settings, string capturePath, IConsole? emulated, CancellationToken cancellation = default)
    {
        var delay = TimeSpan.FromMilliseconds(settings.CharacterDelayMs);
        switch (settings.Kind)
        {
            case ConsoleKind.None:
                return null;
            case ConsoleKind.Qemu:
                return emulated ?? throw new SettingsException("[Console] Kind = qemu needs the emulated board ([Board] Kind = qemu): for a real board use tty, tcp or none");
            case ConsoleKind.Tty:
                if (settings.Device.Length == 0) throw new SettingsException("[Console] Kind = tty needs Device (e.g. /dev/ttyUSB0)");
                RequireBaud(settings);
                return CapturedConsole.Start(TtyTransport.Open(settings.Device, settings.Baud), capturePath, delay);
            case ConsoleKind.Tcp:
                if (settings.Host.Length == 0 || settings.Port is <= 0 or > 65535)
                    throw new SettingsException($"[Console] Kind = tcp needs Host and Port (ser2net's accepter), not '{settings.Host}:{settings.Port}'");
                RequireBaud(settings);
                var telnet = settings.Protocol == ConsoleProtocol.Telnet;
                var transport = await TcpTransport.ConnectAsync(settings.Host, settings.Port, telnet, telnet ? settings.Baud : null, TimeSpan.FromSeconds(10), cancellation);
                return CapturedConsole.Start(transport, capturePath, delay);
            default:
                throw new SettingsException($"[Console] Kind = {settings.Kind} is not known");
        }
    }

    private static void RequireBaud(ConsoleSettings settings)
    {
        if (settings.Baud <= 0) throw new SettingsException($"[Console] Baud = {settings.Baud}: give the line speed (1500000 on RK3588 boards, 115200 on most others)");
    }
}
