using System.Text.RegularExpressions;

namespace KernelSoak.Reports;

/// <summary>
/// The function at fault, as a person reading one report would point at it — unlike syzkaller's frame
/// (<see cref="KernelReport.GuiltyFunction"/>), which is chosen to group reports of one bug and so skips
/// every function whose name merely contains "kasan", "rcu", "refcount" …, and names a stall by its
/// caller's dispatcher. The first frame that is not reporting, locking, allocator or entry machinery.
/// </summary>
public static partial class Culprits
{
    public static string? Find(ReportClass cls, string header, ReportLines lines)
    {
        switch (cls)
        {
            case ReportClass.Kasan when KasanHeader().Match(header) is { Success: true } m:
            {
                var inHeader = Frames.Function(m.Groups[2].Value);
                var doubleFree = m.Groups[1].Value is "double-free" or "invalid-free";
                if (!Frames.IsGeneric(inHeader)) return (doubleFree ? TailCaller(lines, inHeader) : null) ?? inHeader;
                return (doubleFree ? SectionFrames(lines, "Freed by task").FirstOrDefault(f => !Frames.IsGeneric(f)) : null) ?? Stack(lines) ?? inHeader;
            }
            case ReportClass.Lockdep:
            {
                var acquire = lines.SkipWhile(l => !l.Contains("is trying to acquire lock", StringComparison.Ordinal)).Skip(1).FirstOrDefault() ?? "";
                var at = AtFunction().Match(acquire);
                return at.Success ? Frames.Function(at.Groups[1].Value) : Stack(lines);
            }
            case ReportClass.Warning when WarningHeader().Match(header) is { Success: true } m:
            {
                var inHeader = Frames.Function(m.Groups[1].Value);
                return Frames.IsGeneric(inHeader) ? Stack(lines) ?? inHeader : inHeader;
            }
            case ReportClass.Bug or ReportClass.Oops or ReportClass.SoftLockup or ReportClass.RcuStall:
                return Registers(lines) ?? Stack(lines);
            case ReportClass.Panic:
                return Stack(lines) ?? Registers(lines);
            default:
                return Stack(lines);
        }
    }

    /// <summary>arm64's pc then lr, x86's RIP: the first that names kernel code other than generic machinery.</summary>
    private static string? Registers(ReportLines lines)
    {
        foreach (var register in (ReadOnlySpan<string>)["pc", "lr", "RIP"])
        {
            for (var i = 0; i < lines.Count; i++)
            {
                if (Frames.Register(lines.Span(i), register) is not { } f) continue;
                if (!Frames.IsGeneric(f)) return f;
                break;
            }
        }
        return null;
    }

    /// <summary>The first non-generic frame of the first stack trace (not the allocation/free stacks of KASAN).</summary>
    private static string? Stack(ReportLines lines)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines.Span(i);
            if (line.StartsWith("Allocated by task", StringComparison.Ordinal) || line.StartsWith("Freed by task", StringComparison.Ordinal)
                || line.StartsWith("The buggy address", StringComparison.Ordinal) || line.StartsWith("Last potentially related", StringComparison.Ordinal))
                break;
            if (Frames.StackFrame(line) is { } f && !Frames.IsGeneric(f)) return f;
        }
        return null;
    }

    /// <summary>The frames of the stack under a heading ("Freed by task 1:"), up to the blank line that ends it.</summary>
    private static List<string> SectionFrames(ReportLines lines, string heading)
    {
        var frames = new List<string>();
        var i = 0;
        while (i < lines.Count && !lines.Span(i).StartsWith(heading, StringComparison.Ordinal)) i++;
        for (i++; i < lines.Count && !lines.Span(i).Trim().IsEmpty; i++)
            if (Frames.StackFrame(lines.Span(i)) is { } f) frames.Add(f);
        return frames;
    }

    /// <summary>
    /// A double free whose header names <paramref name="inHeader"/> only because the second kfree was a
    /// tail call (x86: the function that frees twice is gone from that stack): the first free's stack shows
    /// it, right above <paramref name="inHeader"/>.
    /// </summary>
    private static string? TailCaller(ReportLines lines, string inHeader)
    {
        var frames = SectionFrames(lines, "Freed by task");
        var at = frames.IndexOf(inHeader);
        return at > 0 && !Frames.IsGeneric(frames[at - 1]) ? frames[at - 1] : null;
    }

    [GeneratedRegex(@"BUG: KASAN: ([\w-]+) in (\S+)")] private static partial Regex KasanHeader();
    [GeneratedRegex(@"WARNING: CPU: \d+ PID: \d+ at \S+ (\S+)")] private static partial Regex WarningHeader();
    [GeneratedRegex(@"at: (\S+\+0x[0-9a-f]+/0x[0-9a-f]+)")] private static partial Regex AtFunction();
}
