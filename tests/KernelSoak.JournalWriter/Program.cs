using KernelSoak.Journal;

// Usage: KernelSoak.JournalWriter <journal> <payload-bytes> [<board lock file>]
// Appends Begin/Complete pairs forever with large outputs (so a line spans several writes),
// printing "ready" after the first pair so the parent knows when to kill. With a lock file it also holds
// that lease (a board's), as a run does for its board.
using var journal = RunJournal.Open(args[0]);
using var board = args.Length > 2 ? Lease.Acquire(args[2], "the board under test") : null;
var payload = new string('x', int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
for (var i = 0; ; i++)
{
    var step = $"step-{i}";
    journal.Begin(step, "fp");
    journal.Complete(step, "fp", Outcomes.Ok, new Dictionary<string, string> { ["payload"] = payload, ["i"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    if (i == 0) Console.WriteLine("ready");
}
