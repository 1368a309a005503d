using System.Text.Json;
using System.Text.Json.Serialization;

namespace KernelSoak.Journal;

/// <summary>Who holds a lease: kept next to the lock so a second run can say who is in its way.</summary>
public sealed record LeaseHolder(
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("command")] string CommandLine,
    [property: JsonPropertyName("since")] DateTimeOffset Since)
{
    public override string ToString() => $"pid {Pid} on {Host} since {Since:u} ({CommandLine})";

    public static LeaseHolder Current() => new(Environment.ProcessId, Environment.MachineName, OwnCommandLine(), DateTimeOffset.UtcNow);

    /// <summary>The command as ps shows it ("dotnet KernelSoak.dll --target=Soak"), not just the entry assembly's arguments.</summary>
    private static string OwnCommandLine()
    {
        try
        {
            var raw = File.ReadAllText("/proc/self/cmdline").TrimEnd('\0');
            if (raw.Length > 0) return raw.Replace('\0', ' ');
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return Environment.CommandLine;
    }
}

/// <summary>Another process holds the lease: two runs of one campaign (or on one board) would overwrite each other.</summary>
public sealed class LeaseHeldException(string what, string lockPath, LeaseHolder? holder)
    : Exception($"{what} is in use by another run: " + (holder is null ? "its holder is starting or stopping (no holder record yet)" : holder.ToString()) +
                $". Wait for it to finish or stop it; the lock is {lockPath} (released by the kernel when its process ends)")
{
    public LeaseHolder? Holder { get; } = holder;
}

/// <summary>
/// An exclusive lease on a resource (a campaign's journal, a board) for the life of a process: an flock on
/// a lock file, which the kernel drops when the holder dies however it dies — so a lock left by a killed
/// run is never in the way, and the holder record it left says whose it was.
/// </summary>
public sealed class Lease : IDisposable
{
    // flock's EWOULDBLOCK (EAGAIN) on Linux: .NET reports it as an IOException carrying the raw errno.
    private const int WouldBlock = 11;
    private const int SharingViolation = unchecked((int)0x80070020);   // Windows
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    private readonly FileStream _lock;
    private readonly string _holderPath;

    private Lease(FileStream lockStream, string holderPath, LeaseHolder? takenOverFrom)
    {
        _lock = lockStream;
        _holderPath = holderPath;
        TakenOverFrom = takenOverFrom;
    }

    /// <summary>The holder record a dead process left: this lease was taken over from it.</summary>
    public LeaseHolder? TakenOverFrom { get; }

    /// <summary>What to tell the user about a takeover (null when the lease was free).</summary>
    public string? TakeOverNotice(string what) => TakenOverFrom is { } dead
        ? $"took over the lease on {what} from {dead}: that process is gone (killed or crashed) without releasing it"
        : null;

    /// <summary>Takes the lease or throws <see cref="LeaseHeldException"/> naming the holder's pid, host and command.</summary>
    public static Lease Acquire(string lockPath, string what)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(lockPath))!);
        var holderPath = lockPath + ".holder";
        FileStream stream;
        try
        {
            // FileShare.None is an flock(LOCK_EX|LOCK_NB) on Linux.
            stream = new FileStream(lockPath, PrivateFile.Options(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e) when (e.HResult is WouldBlock or SharingViolation)
        {
            throw new LeaseHeldException(what, lockPath, ReadHolder(holderPath));
        }
        var left = ReadHolder(holderPath);
        var record = JsonSerializer.Serialize(LeaseHolder.Current(), Json);
        File.WriteAllText(holderPath + ".new", record);
        PrivateFile.Restrict(holderPath + ".new");
        File.Move(holderPath + ".new", holderPath, overwrite: true);
        return new Lease(stream, holderPath, left);
    }

    private static LeaseHolder? ReadHolder(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<LeaseHolder>(File.ReadAllText(path), Json);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;   // none yet, or half written: the lock itself is what counts
        }
    }

    /// <summary>Released on purpose: the record goes first, so a record without a lock always means a dead holder.</summary>
    public void Dispose()
    {
        try { File.Delete(_holderPath); } catch (IOException) { }
        _lock.Dispose();
    }
}
