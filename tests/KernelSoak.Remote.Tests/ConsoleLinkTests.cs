using System.Diagnostics;
using System.Text;
using KernelSoak.Boards.Consoles;
using KernelSoak.Boards.Strategy;
using KernelSoak.Reports;
using KernelSoak.Tests.Boards;

namespace KernelSoak.Remote.Tests;

/// <summary>
/// Consoles over real links: a pty (the same code path as a USB-UART), and ser2net on 127.0.0.1 in raw
/// and telnet(rfc2217) mode in front of a pty. The far end is the scripted board of the unit tests.
/// </summary>
public class ConsoleLinkTests
{
    private string _dir = null!;
    private readonly List<IDisposable> _daemons = [];

    [SetUp]
    public void MakeDir() => _dir = Directory.CreateTempSubdirectory("ks-console-").FullName;

    [TearDown]
    public void Stop()
    {
        foreach (var d in _daemons.AsEnumerable().Reverse()) d.Dispose();
        _daemons.Clear();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Every byte value twice, then a line: 0xFF is telnet's IAC and CR NUL its filler, so a telnet link that is not transparent shows here.</summary>
    private static readonly byte[] AllBytes = [.. Enumerable.Range(0, 512).Select(b => (byte)b), .. "\r\0end\r\n"u8];

    /// <summary>The link under test from the console's side, with the pty the board speaks on.</summary>
    private async Task<(IConsole Console, string BoardEnd)> OpenAsync(string link)
    {
        var pair = PtyPair.Start(_dir);
        _daemons.Add(pair);
        var capture = Path.Combine(_dir, "capture", "console.log");
        if (link == "tty") return (CapturedConsole.Start(TtyTransport.Open(pair.ConsoleEnd, 1500000), capture), pair.BoardEnd);
        var ser2net = LabDaemon.Require("ser2net", "ser2net");
        var port = LabDaemon.FreePort();
        var accepter = link == "telnet" ? $"telnet(rfc2217),tcp,127.0.0.1,{port}" : $"tcp,127.0.0.1,{port}";
        var config = Path.Combine(_dir, "ser2net.yaml");
        File.WriteAllText(config, $"""
            %YAML 1.1
            ---
            connection: &board
              accepter: {accepter}
              connector: serialdev,{pair.ConsoleEnd},1500000n81,local
              options:
                kickolduser: true

            """);
        var daemon = LabDaemon.Start(ser2net, Path.Combine(_dir, "ser2net.log"), "-n", "-u", "-c", config, "-P", Path.Combine(_dir, "ser2net.pid"));
        _daemons.Add(daemon);
        daemon.WaitForPort(port);
        var transport = await TcpTransport.ConnectAsync("127.0.0.1", port, telnet: link == "telnet", baud: 1500000, TimeSpan.FromSeconds(5));
        return (CapturedConsole.Start(transport, capture), pair.BoardEnd);
    }

    /// <summary>Types until the board hears it: the link is open end to end (ser2net opens the device once a client connects).</summary>
    private static async Task SyncAsync(IConsole console, BoardOnTty board)
    {
        var watch = Stopwatch.StartNew();
        while (!Encoding.Latin1.GetString(board.Heard).Contains("sync\n", StringComparison.Ordinal))
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(10)) Assert.Fail($"nothing typed at {console.Description} reached the board");
            await console.WriteAsync("sync\n");
            await Task.Delay(200);
        }
    }

    [TestCase("tty")]
    [TestCase("raw")]
    [TestCase("telnet")]
    public async Task Every_byte_is_captured_as_sent_with_its_time_and_typed_text_reaches_the_board(string link)
    {
        var (console, boardEnd) = await OpenAsync(link);
        await using var _ = console;
        await using var board = new BoardOnTty(boardEnd);
        await SyncAsync(console, board);
        var before = console.Length;
        Assert.That(before, Is.Zero, "the board printed nothing yet");
        await board.SendAsync(AllBytes);
        await console.ExpectAsync(new System.Text.RegularExpressions.Regex("end\r\n"), 0, TimeSpan.FromSeconds(10));
        Assert.That(File.ReadAllBytes(console.CapturePath), Is.EqualTo(AllBytes), "the capture is the board's bytes, nothing added or lost");
        Assert.That(File.ReadAllLines(console.CapturePath + ".times"), Is.Not.Empty.And.All.Match(@"^\d+\t\d{13}$"));
        var chunks = new List<ConsoleChunk>();
        await foreach (var chunk in console.ReadAsync(0).WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(1)).Token).ConfigureAwait(false))
        {
            chunks.Add(chunk);
            if (chunks.Sum(c => c.Bytes.Length) == AllBytes.Length) break;
        }
        Assert.That(chunks.SelectMany(c => c.Bytes.ToArray()), Is.EqualTo(AllBytes), "read back as timed chunks, the same bytes");
        Assert.That(chunks.Select(c => c.At), Is.Ordered);

        var typed = "2\n\u00ffx\n";
        var heardBefore = board.Heard.Length;
        await console.WriteAsync(typed);
        var watch = Stopwatch.StartNew();
        while (board.Heard.Length < heardBefore + typed.Length && watch.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(50);
        Assert.That(board.Heard[heardBefore..], Is.EqualTo(Encoding.Latin1.GetBytes(typed)), "typed bytes arrive once each (0xFF not doubled on the board's side)");
    }

    [Test]
    public async Task Megabytes_of_junk_without_a_newline_before_a_panic_are_captured_whole_and_the_panic_still_ends_the_watch()
    {
        var (console, boardEnd) = await OpenAsync("tty");
        await using var _ = console;
        await using var board = new BoardOnTty(boardEnd);
        await SyncAsync(console, board);
        // A baud mismatch or a runaway program: 8 MiB of every byte value but the newline, then a real panic.
        var junk = Enumerable.Range(0, 8 << 20).Select(i => (byte)(i % 255 == 10 ? 11 : i % 255)).ToArray();
        var sent = junk.Concat(Encoding.Latin1.GetBytes("\r\n" + ScriptedBoard.Scripts.PanicTranscript("6.12.0-ks"))).ToArray();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var watching = new FatalReportWatch(console).FirstFatalAsync(0, timeout.Token);
        for (var at = 0; at < sent.Length; at += 64 * 1024) await board.SendAsync(sent.AsMemory(at, Math.Min(64 * 1024, sent.Length - at)).ToArray());
        var panic = await watching;
        Assert.That(panic?.Class, Is.EqualTo(ReportClass.Panic));
        Assert.That(panic!.Title, Does.Contain("Unable to mount root fs"));
        await console.ExpectAsync(new System.Text.RegularExpressions.Regex("end Kernel panic[^\n]*\n"), 0, TimeSpan.FromSeconds(10));
        Assert.That(File.ReadAllBytes(console.CapturePath), Is.EqualTo(sent), "the capture is every byte the board sent, the long line whole");
    }

    [TestCase("tty")]
    [TestCase("raw")]
    [TestCase("telnet")]
    public async Task The_console_answers_U_Boots_menu_and_a_panic_ends_the_boot_within_5_seconds_of_its_end_line(string link)
    {
        var (console, boardEnd) = await OpenAsync(link);
        await using var _ = console;
        await using var script = new ScriptedBoard
        {
            Send = _ => Task.CompletedTask,
            Menu = [("known-good", "known-good Debian 6.1.0"), ("kstest", "kstest KernelSoak 6.12.0-ks")],
            DefaultLabel = "known-good",
            Kernels = new Dictionary<string, IReadOnlyList<KernelStep>>
            {
                ["known-good"] = ScriptedBoard.Scripts.Boots("6.1.0"),
                ["kstest"] = ScriptedBoard.Scripts.Panics("6.12.0-ks"),
            },
            MenuWait = TimeSpan.FromSeconds(3),
        };
        await using var board = new BoardOnTty(boardEnd, script);
        await SyncAsync(console, board);
        var strategy = new BootStrategy(script, script, console);
        long? endedAt = null;
        strategy.Moved += t =>
        {
            if (t.To == BootState.Recovering) endedAt ??= Stopwatch.GetTimestamp();
        };
        var outcome = await strategy.BootAsync(new BootRequest("6.12.0-ks", "kstest", "known-good", LabelSelection.ConsoleMenu, false, "before",
            TimeSpan.FromSeconds(60), 1) { MenuTimeout = TimeSpan.FromSeconds(10) });

        Assert.That(outcome.Final, Is.EqualTo(BootState.NoBoot), string.Join("\n", outcome.Trace));
        Assert.That(outcome.Report?.Class, Is.EqualTo(ReportClass.Panic));
        Assert.That(outcome.Report!.Title, Does.Contain("Unable to mount root fs"));
        Assert.That(script.Choices, Is.EqualTo(new[] { "2" }), $"the console typed the test label's number at {link}");
        Assert.That(outcome.System?.Release, Is.EqualTo("6.1.0"), "back on known-good after one power cycle");
        var endLine = script.SentAt.Keys.Single(k => k.Contains("end Kernel panic", StringComparison.Ordinal));
        var latency = Stopwatch.GetElapsedTime(script.SentAt[endLine], endedAt!.Value);
        TestContext.Out.WriteLine($"{link}: no-boot declared {latency.TotalMilliseconds:0} ms after the board sent '---[ end Kernel panic'");
        Assert.That(latency, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(File.ReadAllText(console.CapturePath, Encoding.Latin1), Does.Contain("Enter choice: 2\r\n").And.Contain("---[ end Kernel panic"));
    }
}
