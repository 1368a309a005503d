using KernelSoak.Steps;

namespace KernelSoak.Tests.Steps;

public class AnnouncedCommandsTests
{
    private static readonly string[] RunLog =
    [
        "2026-12-03T15:47:25.1291144+00:00 Information campaign demo",
        "2026-12-03T15:47:25.1291144+00:00 Information $ make -C /src O=/src/out -j2 'CC=ccache gcc' Image",
        "2026-12-03T15:48:02.2669060+00:00 Verbose   exit 0 in 0.2 s: make",
        "2026-12-03T15:48:34.7836642+00:00 Verbose $ ssh root@127.0.0.1:2222: echo '@@a'; ( uname -r",
        ") 2>&1; echo done",
        "2026-12-03T15:48:36.0380116+00:00 Verbose $ ssh root@127.0.0.1:2222: cat -- /sys/fs/pstore/console-ramoops-0",
        "2026-12-03T15:48:36.0380116+00:00 Information a line that is no command",
        "and goes on",
    ];

    [Test]
    public void A_run_log_gives_each_command_whole_and_nothing_else()
    {
        Assert.That(AnnouncedCommands.FromRunLog(RunLog), Is.EqualTo(new[]
        {
            "make -C /src O=/src/out -j2 'CC=ccache gcc' Image",
            "ssh root@127.0.0.1:2222: echo '@@a'; ( uname -r\n) 2>&1; echo done",
            "ssh root@127.0.0.1:2222: cat -- /sys/fs/pstore/console-ramoops-0",
        }));
    }

    [Test]
    public void Dry_run_lines_announce_local_commands_and_ssh_remote_commands_with_placeholders()
    {
        string[] dryRun =
        [
            "step kernel/build: cross build",
            "    $ make -C /src O=/src/out -j2 'CC=ccache gcc' Image   # only when changed",
            "    $ ssh -i /b/id_ed25519 -p 2222 root@127.0.0.1 'echo '\\''@@a'\\''; ( uname -r",
            ") 2>&1; echo done'",
            "    $ ssh -i /b/id_ed25519 -p 2222 root@127.0.0.1 'cat -- <each record under /sys/fs/pstore>' > /a/pstore/<record> (never over an existing file)",
        ];
        var announced = AnnouncedCommands.FromDryRun(dryRun);
        Assert.That(announced, Has.Count.EqualTo(3));
        Assert.That(AnnouncedCommands.Unannounced(AnnouncedCommands.FromRunLog(RunLog), announced), Is.Empty);
    }

    [Test]
    public void A_command_the_dry_run_did_not_print_is_named()
    {
        var announced = AnnouncedCommands.FromDryRun(["    $ ssh -p 2222 root@127.0.0.1 'cat -- /sys/fs/pstore/<record>'"]);
        Assert.That(AnnouncedCommands.Unannounced(AnnouncedCommands.FromRunLog(RunLog), announced), Is.EqualTo(new[]
        {
            "make -C /src O=/src/out -j2 'CC=ccache gcc' Image",
            "ssh root@127.0.0.1:2222: echo '@@a'; ( uname -r\n) 2>&1; echo done",
        }));
    }

    [TestCase("    $ ssh -p 2222 root@127.0.0.1 'cat -- /sys/fs/pstore/console-ramoops-0'", true)]
    [TestCase("    $ ssh -p 2223 root@127.0.0.1 'cat -- /sys/fs/pstore/console-ramoops-0'", false)] // another board
    [TestCase("    $ ssh -p 2222 user@127.0.0.1 'sudo -n -- sh -c '\\''cat -- /sys/fs/pstore/console-ramoops-0'\\'''", false)]
    [TestCase("    $ ssh -p 2222 root@127.0.0.1 'sudo -n -- sh -c '\\''cat -- /sys/fs/pstore/console-ramoops-0'\\'''", true)] // as sudo runs it
    [TestCase("    $ ssh -p 2222 root@127.0.0.1 'cat -- /sys/fs/pstore/console-ramoops-'", false)] // literal text is whole
    [TestCase("    $ ssh -p 2222 root@127.0.0.1 'cat -- …'", true)]
    [TestCase(@"    $ ssh -p 2222 root@127.0.0.1 'cat -- '\''/sys/fs/pstore/<record>'\'''", true)] // a quoted word with a placeholder may run bare
    [TestCase(@"    $ ssh -p 2222 root@127.0.0.1 'cat -- '\''/sys/fs/<record>/x'\'''", false)]
    [TestCase("    $ ssh -p 2222 root@127.0.0.1 cat -- /sys/fs/pstore/console-ramoops-0 > /a/x", true)] // bare words up to the redirect
    public void The_remote_command_is_matched_on_its_board_and_whole(string dryRunLine, bool announced)
    {
        var run = new[] { "ssh root@127.0.0.1:2222: cat -- /sys/fs/pstore/console-ramoops-0" };
        Assert.That(AnnouncedCommands.Unannounced(run, AnnouncedCommands.FromDryRun([dryRunLine])), announced ? Is.Empty : Is.EqualTo(run));
    }

    [Test]
    public void Shell_words_read_back_what_the_quoter_wrote()
    {
        foreach (var word in new[] { "plain", "it's", "a b", "'", "\"$x\"", "", "back\\slash" })
        {
            var line = $"echo {KernelSoak.Processes.CommandLine.Quote(word)} x";
            Assert.That(ShellWords.Split(line)!.Select(w => w.Text), Is.EqualTo(new[] { "echo", word, "x" }), line);
        }
        Assert.That(ShellWords.Split("echo 'open"), Is.Null, "a quote still open");
        Assert.That(ShellWords.Split("git worktree add   # the campaign's own tree")!.Select(w => w.Text), Is.EqualTo(new[] { "git", "worktree", "add" }),
            "an apostrophe in a comment opens no quote");
        Assert.That(ShellWords.Split("echo a#b '#c'")!.Select(w => w.Text), Is.EqualTo(new[] { "echo", "a#b", "#c" }), "# inside a word or quoted is text");
        Assert.That(ShellWords.Split("a \"b \\\" c\" d\\ e")!.Select(w => w.Text), Is.EqualTo(new[] { "a", "b \" c", "d e" }));
        Assert.That(ShellWords.Split("x > '>'")!.Select(w => w.Bare), Is.EqualTo(new[] { true, true, false }), "a quoted > is no operator");
    }
}
