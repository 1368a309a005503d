using Cake.Core;
using Cake.Frosting;
using KernelSoak.Frosting;
using KernelSoak.Campaigns;
using KernelSoak.Journal;
using KernelSoak.Kernel;
using KernelSoak.Processes;
using KernelSoak.Settings;
using KernelSoak.Steps;

namespace KernelSoak.Build;

/// <summary>Everything the tasks share, bound once: settings, campaign, paths, journal, step runner.</summary>
public sealed class BuildContext : FrostingContext
{
    private readonly Lazy<RunJournal> _journal;
    private readonly Lazy<StepRunner> _steps;

    private BuildContext(ICakeContext context, HostArguments arguments, BuildSetup setup) : base(context)
    {
        HostArguments = arguments;
        Root = setup.Root;
        Settings = setup.Settings;
        Campaign = setup.Campaign;
        DryRun = arguments.DryRun;
        ArtifactsDir = Path.GetFullPath(Path.Combine(Root, Settings.Paths.Artifacts, Campaign.Id));
        CacheDir = Settings.Paths.Cache.Length > 0 ? Path.GetFullPath(Settings.Paths.Cache, Root)
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".cache", "kernelsoak");
        BoardDir = Path.GetFullPath(Settings.Board.Directory, Root);
        // One compiler cache for every build of this machine (the board's build-kernel.sh uses the same).
        if (string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("CCACHE_DIR")))
            System.Environment.SetEnvironmentVariable("CCACHE_DIR", Path.Combine(CacheDir, "ccache"));
        // Build directories are direct children of their source (KernelTree.BuildDirIn), so compile commands
        // hold only relative paths; leaving the directory out of the hash lets a worktree hit the base's objects.
        if (string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("CCACHE_NOHASHDIR")))
            System.Environment.SetEnvironmentVariable("CCACHE_NOHASHDIR", "1");
        Kernel = KernelTree.For(Campaign, CacheDir, Path.GetDirectoryName(Campaign.SourcePath)!);
        // Built when a target first makes something: DISTCC_HOSTS (another tool's variable) is read only then.
        _make = new(() => new KernelMake(Campaign.Kernel, Kernel, System.Environment.ProcessorCount) { Distcc = DistccHosts() });
        Output = new RunOutput(context.Log, DryRun ? null : Path.Combine(ArtifactsDir, "log", "run.log"));
        ManifestPath = Path.Combine(ArtifactsDir, "kernel", "manifest.json");
        Commands = new CommandRunner(Output);
        _journal = new(OpenJournal);
        _steps = new(() => new StepRunner(Journal, Output, DryRun));
    }

    /// <summary>The journal under the campaign's lease; what it could not read and whose lease it took over is said, never skipped.</summary>
    private RunJournal OpenJournal()
    {
        var journal = DryRun ? RunJournal.OpenReadOnly(JournalPath) : RunJournal.Open(JournalPath);
        if (journal.LeaseNotice is { } notice) Output.Warn(notice);
        foreach (var damage in journal.Damage) Output.Warn(damage.Describe());
        return journal;
    }

    private Lease? _boardLease;

    /// <summary>
    /// One run per board (host:port), whatever its campaign: two runs would edit extlinux.conf read-modify-write
    /// and reboot each other's kernels. The lock lives in the machine's cache, which every campaign shares.
    /// </summary>
    private void LeaseBoard()
    {
        if (DryRun || _boardLease is not null) return;
        var endpoint = BoardEndpoint;
        var name = $"{endpoint.Host.ToLowerInvariant()}:{endpoint.Port}";
        _boardLease = Lease.Acquire(Path.Combine(CacheDir, "leases", $"board-{Uri.EscapeDataString(name)}.lock"), $"the board {name}");
        if (_boardLease.TakeOverNotice($"the board {name}") is { } notice) Output.Warn(notice);
    }

    private Boards.Consoles.IConsole? _console;
    private bool _consoleOpened;

    /// <summary>
    /// The board's console as [Console] names it, opened once per run and capturing from then on (the
    /// emulated board's own socket, a tty, ser2net); null for Kind = none.
    /// </summary>
    public async Task<Boards.Consoles.IConsole?> ConsoleAsync(CancellationToken ct = default)
    {
        if (_consoleOpened) return _console;
        _console = await Boards.Consoles.ConsoleFactory.OpenAsync(Settings.Console, Path.Combine(ArtifactsDir, "console", "console.log"),
            Site.Emulated?.Console, ct);
        _consoleOpened = true;
        if (_console is { OutlivesTheRun: false }) Output.Info($"console: {_console.Description}, captured to {_console.CapturePath}");
        return _console;
    }

    private Interruption? _interruption;

    /// <summary>From here on Ctrl+C and SIGTERM stop the running step instead of the process (a second one still ends it).</summary>
    public void ListenForInterrupts() => _interruption ??= new Interruption(Output.Warn);

    /// <summary>Cancelled by the first Ctrl+C or SIGTERM of a run that listens for them.</summary>
    public CancellationToken Cancellation => _interruption?.Token ?? CancellationToken.None;

    /// <summary>Lets the board and the journal go (the run is over).</summary>
    public void ReleaseLeases()
    {
        _interruption?.Dispose();
        _interruption = null;
        _console?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _console = null;
        _consoleOpened = false;
        _boardLease?.Dispose();
        _boardLease = null;
        if (JournalOpen) Journal.Dispose();
    }

    /// <summary>The journal was opened (and leased) by this run.</summary>
    public bool JournalOpen => _journal.IsValueCreated;

    public static BuildContext Create(ICakeContext context, HostArguments arguments) =>
        new(context, arguments, BuildSetup.For(arguments));

    public HostArguments HostArguments { get; }
    public string Root { get; }
    public KernelSoakSettings Settings { get; }
    public Campaign Campaign { get; }
    public bool DryRun { get; }
    public string ArtifactsDir { get; }
    public string CacheDir { get; }
    public string BoardDir { get; }
    public KernelTree Kernel { get; }
    private readonly Lazy<KernelMake> _make;
    public KernelMake Make => _make.Value;

    private DistccHosts DistccHosts()
    {
        try
        {
            return Settings.Build.HostsFor(BuildSetup.EnvironmentVariables());
        }
        catch (SettingsException e)
        {
            throw new UserErrorException($"{e.Message}. Give the build hosts in [Build] Distcc, or unset DISTCC_HOSTS");
        }
    }
    public RunOutput Output { get; }
    /// <summary>series.pipeline: the kernel(s) being built ahead in the background, if any.</summary>
    public Prebuilder Prebuild { get; } = new();
    public CommandRunner Commands { get; }
    public string JournalPath => Path.Combine(ArtifactsDir, "journal");
    public string ManifestPath { get; }
    public RunJournal Journal => _journal.Value;
    public StepRunner Steps => _steps.Value;
    public Board Board => new(Settings.Board, BoardDir);

    /// <summary>An argument that is not a setting (--log=…, --format=…).</summary>
    public string? Argument(string name) =>
        BuildSetup.For(HostArguments).Arguments.LastOrDefault(a => a.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public Task RunStepsAsync(IEnumerable<Step> steps) => Steps.RunAsync(steps, Cancellation);

    /// <summary>Where the board is: the emulated one ([Board] Kind = qemu) or one reached as the settings say.</summary>
    public Boards.BoardSite Site => new(Settings.Board, BoardDir, Path.Combine(Root, "targets", "qemu-arm64"), Board.IdentityFile,
        System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), System.Environment.GetEnvironmentVariable,
        line => Output.Detail($"$ {line}"));

    /// <summary>
    /// The board's SSH endpoint (the emulated board's own files, or the settings for a real one); every command
    /// run through it is in run.log (on the console with -v).
    /// </summary>
    public Remote.SshEndpoint BoardEndpoint => Site.Endpoint;

    /// <summary>
    /// A new SSH connection to the board. When the previous run issued a reboot and died before seeing the
    /// board back, it waits until the board runs a new boot (not the old kernel's sshd on its way down); a
    /// board that keeps its old boot for 20 s never got the reboot, and the boot step will issue it again.
    /// </summary>
    public async Task<Remote.SshTarget> ConnectBoardAsync()
    {
        LeaseBoard();
        if (new Soak.BootRecords(Journal).Interrupted() is not { } reboot)
            return await Remote.SshTarget.ConnectAsync(BoardEndpoint); // a wrong address fails at once, with what to check
        Output.Info($"the previous run rebooted the board in {reboot.Step} and stopped: waiting up to {Campaign.Boot.TimeoutS} s for its new boot");
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(Campaign.Boot.TimeoutS);
        System.Diagnostics.Stopwatch? sameBoot = null;
        while (true)
        {
            var ssh = await Remote.SshWait.UntilUpAsync(BoardEndpoint, limit - deadline.Elapsed > TimeSpan.FromSeconds(5) ? limit - deadline.Elapsed : TimeSpan.FromSeconds(5));
            try
            {
                var bootId = (await ssh.ReadAsync("cat /proc/sys/kernel/random/boot_id", TimeSpan.FromSeconds(10))).Trim();
                sameBoot ??= System.Diagnostics.Stopwatch.StartNew();
                if (Soak.BootPolicy.NewBootOrNeverRebooted(reboot, bootId, sameBoot.Elapsed)) return ssh;
            }
            catch (Exception e) when (e is Renci.SshNet.Common.SshException or System.Net.Sockets.SocketException or InvalidOperationException or TimeoutException)
            {
                // the old kernel's sshd went away under us
            }
            ssh.Dispose();
            await Task.Delay(1000);
        }
    }

    private Remote.SshTarget? _session;

    /// <summary>
    /// A session some step opened anyway (BoardUp, the wait after a reboot) becomes the run's shared one —
    /// not while a reboot a killed run issued is pending: the first connect must wait for that boot.
    /// </summary>
    public bool CanShareBoardSession => new Soak.BootRecords(Journal).Interrupted() is null;

    public void AdoptBoardSession(Remote.SshTarget session)
    {
        LeaseBoard();
        if (!ReferenceEquals(_session, session)) _session?.Dispose();
        _session = session;
        _sessionAnswered.Restart();
    }

    // When the shared session last proved alive: a session that answered a moment ago needs no ping (a round trip, ~0.3 s under TCG).
    private readonly System.Diagnostics.Stopwatch _sessionAnswered = new();

    /// <summary>One SSH connection shared by the steps of a run (reconnected after a reboot).</summary>
    public async Task<Remote.SshTarget> BoardAsync()
    {
        if (_session is null)
        {
            _session = await ConnectBoardAsync();
            _sessionAnswered.Restart();
            return _session;
        }
        if (_session.IsConnected && _sessionAnswered.Elapsed < TimeSpan.FromSeconds(5)) return _session;
        if (_session.IsConnected && await _session.AnswersAsync(TimeSpan.FromSeconds(10)))
        {
            _sessionAnswered.Restart();
            return _session;
        }
        _session.Dispose();
        _session = null;
        Output.Warn($"lost the SSH connection to {BoardEndpoint}: reconnecting (up to {Settings.Board.ReconnectSeconds} s)");
        return _session = await Remote.SshWait.UntilUpAsync(BoardEndpoint, TimeSpan.FromSeconds(Settings.Board.ReconnectSeconds));
    }

    /// <summary>
    /// A Bisect run whose tree already holds patches (a probe applied them): the base chain in front of the
    /// Bisect targets (CompileKernel, InstallKernel) has nothing to build — building the patched tree under
    /// the base's name would only redo, under another step, what the probe's own steps do.
    /// </summary>
    public bool BaseChainIdle =>
        (HostArguments.Target ?? "").StartsWith("Bisect", StringComparison.Ordinal) && Kernel.IsWorktree && (Directory.Exists(Path.Combine(Kernel.SourceDir, ".git")) || File.Exists(Path.Combine(Kernel.SourceDir, ".git")))
        && KernelSoak.Kernel.SourceState.HeadCommit(Kernel.SourceDir) != KernelSoak.Kernel.SourceState.HeadCommit(Kernel.BaseDir);

    /// <summary>Runs a base-chain task's steps (CompileKernel, InstallKernel), or says why there is nothing to do (<see cref="BaseChainIdle"/>).</summary>
    public Task RunBaseChainAsync(Func<IEnumerable<Step>> steps)
    {
        if (!BaseChainIdle) return RunStepsAsync(steps());
        Output.Info("the campaign's tree holds patches: nothing for the base chain to do; each Bisect probe builds and installs its own kernel");
        return Task.CompletedTask;
    }

    /// <summary>A failure of Stress kept for Harvest to rethrow once it has collected everything.</summary>
    public Exception? PendingFailure { get; set; }

    public void DropBoardSession()
    {
        _session?.Dispose();
        _session = null;
    }

    /// <summary>A path of the campaign, relative to the campaign file.</summary>
    public string CampaignPath(string path) => CampaignPaths.Resolve(path, Path.GetDirectoryName(Campaign.SourcePath)!);
}
