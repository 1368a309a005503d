using System.Text.RegularExpressions;
using KernelSoak.Boards.Consoles;

namespace KernelSoak.Boards.Strategy;

/// <summary>One line of U-Boot's extlinux menu: "N:\tmenu label", the label being its first word.</summary>
public sealed record MenuEntry(string Number, string Text)
{
    public bool IsLabel(string label) => Text == label || Text.StartsWith(label + " ", StringComparison.Ordinal);
}

/// <summary>The label asked for is not in the menu U-Boot printed: nothing to choose, the boot cannot go on.</summary>
public sealed class LabelNotInMenuException(string label, IReadOnlyList<MenuEntry> menu)
    : Exception($"label {label} is not in U-Boot's menu (it listed: {(menu.Count == 0 ? "nothing" : string.Join(", ", menu.Select(e => $"{e.Number} {e.Text}")))})")
{
    public string Label { get; } = label;
}

/// <summary>
/// U-Boot's extlinux menu driven over a console: wait for "Enter choice:", type the label's number and a
/// newline (U-Boot's menu ends the line at "\n"; a "\r" alone is echoed but never ends it), and make sure
/// it was taken: a "Retrieving file:" follows, else the newline is sent once more.
/// </summary>
public static partial class UBootMenu
{
    public static IReadOnlyList<MenuEntry> Entries(string consoleText) =>
        [.. Entry().Matches(consoleText).Select(m => new MenuEntry(m.Groups[1].Value, m.Groups[2].Value.Trim()))];

    /// <summary>The menu printed last wins (a menu shown twice, as after a reset, lists the same labels).</summary>
    public static MenuEntry? Find(IReadOnlyList<MenuEntry> entries, string label) => entries.LastOrDefault(e => e.IsLabel(label));

    /// <summary>Chooses <paramref name="label"/> at the menu printed past <paramref name="offset"/>; returns the entry and the console offset just after the menu.</summary>
    public static async Task<(MenuEntry Entry, long AfterMenu)> ChooseAsync(IConsole console, long offset, string label, TimeSpan menuTimeout,
        Action<string>? say = null, CancellationToken cancellation = default)
    {
        await console.ExpectAsync(EnterChoice(), offset, menuTimeout, cancellation);
        var menu = console.ReadFrom(offset);
        var entries = Entries(menu);
        var entry = Find(entries, label) ?? throw new LabelNotInMenuException(label, entries);
        var afterMenu = offset + menu.Length;
        await console.WriteAsync(entry.Number + "\n", cancellation);
        say?.Invoke($"U-Boot menu: chose {entry.Number} ({entry.Text})");
        try
        {
            await console.ExpectAsync(RetrievingFile(), afterMenu, TimeSpan.FromSeconds(5), cancellation);
        }
        catch (TimeoutException)
        {
            // The line did not end: end it again (an extra newline at a finished prompt is harmless).
            say?.Invoke("U-Boot did not take the choice: sending the newline again");
            await console.WriteAsync("\n", cancellation);
        }
        return (entry, afterMenu);
    }

    [GeneratedRegex(@"Enter choice:")] public static partial Regex EnterChoice();
    [GeneratedRegex(@"Retrieving file:")] public static partial Regex RetrievingFile();
    /// <summary>U-Boot's "Starting kernel ..." (booti/bootz) or the kernel's own banner, whichever the console shows first.</summary>
    [GeneratedRegex(@"Starting kernel \.\.\.|Linux version \d")] public static partial Regex KernelStarting();
    [GeneratedRegex(@"(?m)^(\d+):\t(.+?)\r?$")] private static partial Regex Entry();
}
