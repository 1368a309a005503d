using System.Collections.Concurrent;
using KernelSoak.Series;

namespace KernelSoak.Tests.Bisect;

/// <summary>A round on several boards without a lab: builds one at a time, every job submitted before any is awaited, records in order.</summary>
public class RoundRunnerTests
{
    private static RoundProbe Probe(int slot, int index, int number = 1) =>
        new(slot, index, $"{index + 1:0000}", number, 60, ProbePurpose.Narrow, "test", $"key{index}");

    private static readonly IReadOnlyList<RoundProbe> Three = [Probe(0, 15), Probe(1, 31), Probe(2, 47)];

    /// <summary>A fake lab: each job waits on its gate until the test opens it; everything done is logged in order.</summary>
    private sealed class Lab
    {
        public readonly ConcurrentQueue<string> Log = new();
        public readonly Dictionary<int, TaskCompletionSource> Gates = new();
        public readonly Dictionary<int, Queue<Exception>> Failures = new();
        public readonly Dictionary<int, RoundProbeState> States = new();
        public int Submitted;

        public RoundActions Actions(int retries = 0) => new()
        {
            State = p => States.GetValueOrDefault(p.Slot, RoundProbeState.New),
            Build = (p, _) => { Log.Enqueue($"build {p.Slot}"); return Task.CompletedTask; },
            Run = async (p, submitted, _) =>
            {
                await Task.Yield();
                Log.Enqueue($"submit {p.Slot}");
                if (Failures.TryGetValue(p.Slot, out var f) && f.Count > 0) throw f.Dequeue();
                submitted();
                Interlocked.Increment(ref Submitted);
                await Gate(p.Slot).Task;
                Log.Enqueue($"followed {p.Slot}");
            },
            Record = (p, _) => { Log.Enqueue($"record {p.Slot}"); return Task.CompletedTask; },
            IsInfra = e => e is TimeoutException,
            Retrying = (p, _, n) => Log.Enqueue($"retry {p.Slot} {n}"),
            InfraRetries = retries,
        };

        public TaskCompletionSource Gate(int slot)
        {
            lock (Gates) return Gates.TryGetValue(slot, out var g) ? g : Gates[slot] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public void OpenAll() { foreach (var slot in Enumerable.Range(0, 3)) Gate(slot).TrySetResult(); }
    }

    [Test, CancelAfter(10_000)]
    public async Task Every_job_of_the_round_is_submitted_before_any_is_awaited_and_records_follow_in_round_order()
    {
        var lab = new Lab();
        var running = RoundRunner.RunAsync(Three, lab.Actions());
        while (Volatile.Read(ref lab.Submitted) < 3) await Task.Delay(10); // would hang if job 0 were awaited before build 1
        Assert.That(running.IsCompleted, Is.False, "no job has ended yet");
        Assert.That(lab.Log, Is.EqualTo(new[] { "build 0", "submit 0", "build 1", "submit 1", "build 2", "submit 2" }), "one build at a time, each job queued before the next build");
        lab.Gate(2).SetResult(); // the lab ends them in any order
        lab.Gate(0).SetResult();
        lab.Gate(1).SetResult();
        var results = await running;
        Assert.That(results.All(r => r.Recorded && r.Error is null), Is.True);
        Assert.That(lab.Log.Where(l => l.StartsWith("record", StringComparison.Ordinal)), Is.EqualTo(new[] { "record 0", "record 1", "record 2" }));
    }

    [Test, CancelAfter(10_000)]
    public async Task A_failing_job_costs_only_its_own_result()
    {
        var lab = new Lab();
        lab.Failures[1] = new Queue<Exception>([new InvalidOperationException("the API said no")]);
        lab.OpenAll();
        var results = await RoundRunner.RunAsync(Three, lab.Actions(retries: 2));
        Assert.That(results.Select(r => r.Recorded), Is.EqualTo(new[] { true, false, true }));
        Assert.That(results[1].Error, Is.TypeOf<InvalidOperationException>(), "not infra: not retried");
        Assert.That(lab.Log, Does.Contain("record 0").And.Contain("record 2").And.Not.Contain("record 1"));
    }

    [Test, CancelAfter(10_000)]
    public async Task An_infra_error_reruns_that_job_alone_up_to_the_retries_then_is_an_error_not_a_verdict()
    {
        var lab = new Lab();
        lab.Failures[0] = new Queue<Exception>([new TimeoutException("job cancelled")]);
        lab.Failures[2] = new Queue<Exception>(Enumerable.Repeat<Exception>(new TimeoutException("device offline"), 3));
        lab.OpenAll();
        var results = await RoundRunner.RunAsync(Three, lab.Actions(retries: 1));
        Assert.That(results.Select(r => r.Recorded), Is.EqualTo(new[] { true, true, false }));
        Assert.That(results[2].Error, Is.TypeOf<TimeoutException>());
        Assert.That(lab.Log, Does.Contain("retry 0 1").And.Contain("retry 2 1").And.Not.Contain("retry 2 2"));
        Assert.That(lab.Log.Count(l => l == "build 0"), Is.EqualTo(1), "a retry submits the kept kernel again: no rebuild");
    }

    [Test, CancelAfter(10_000)]
    public async Task A_resumed_round_builds_only_new_probes_reattaches_submitted_ones_and_redoes_no_record()
    {
        var lab = new Lab();
        lab.States[0] = RoundProbeState.Recorded;
        lab.States[1] = RoundProbeState.Submitted;
        lab.States[2] = RoundProbeState.Followed;
        var four = Three.Append(Probe(3, 47, number: 2)).ToList();
        lab.OpenAll();
        lab.Gate(3).SetResult();
        var results = await RoundRunner.RunAsync(four, lab.Actions());
        Assert.That(results.All(r => r.Recorded), Is.True);
        Assert.That(results[0].WasRecorded, Is.True);
        Assert.That(lab.Log.Where(l => l.StartsWith("build", StringComparison.Ordinal)), Is.EqualTo(new[] { "build 3" }));
        Assert.That(lab.Log.Where(l => l.StartsWith("submit", StringComparison.Ordinal)), Is.EqualTo(new[] { "submit 1", "submit 3" }), "the submitted job is followed again (reattached), the followed one is not");
        Assert.That(lab.Log.Where(l => l.StartsWith("record", StringComparison.Ordinal)), Is.EqualTo(new[] { "record 1", "record 2", "record 3" }));
    }

    [Test, CancelAfter(10_000)]
    public async Task A_kernel_that_does_not_build_leaves_the_other_probes_of_the_round_running()
    {
        var lab = new Lab();
        var lab0 = lab.Actions();
        var actions = new RoundActions
        {
            State = lab0.State, Run = lab0.Run, Record = lab0.Record,
            Build = (p, ct) => p.Slot == 0 ? throw new InvalidOperationException("build-failed") : lab0.Build(p, ct),
        };
        lab.OpenAll();
        var results = await RoundRunner.RunAsync(Three, actions);
        Assert.That(results.Select(r => r.Recorded), Is.EqualTo(new[] { false, true, true }));
        Assert.That(lab.Log, Does.Not.Contain("submit 0"));
    }

    [Test]
    public void Probes_are_numbered_on_from_the_highest_recorded_and_two_at_one_point_take_the_next_two()
    {
        IReadOnlyList<string> ids = ["0001", "0002", "0003"];
        var round = ProbeRound.Plan(ids, [new ProbeNext(1, 30, ProbePurpose.Narrow, "cut"), new ProbeNext(1, 30, ProbePurpose.Narrow, "again"), new ProbeNext(2, 30, ProbePurpose.Narrow, "x")],
            i => i == 1 ? 4 : 0, i => $"k{i}");
        Assert.That(round.Select(p => (p.Slot, p.Patch, p.Number)), Is.EqualTo(new[] { (0, "0002", 5), (1, "0002", 6), (2, "0003", 1) }));
        Assert.That(round[1].Key, Is.EqualTo("k1"));
    }

    [Test]
    public void A_saved_round_resumes_while_it_has_an_unrecorded_probe_and_its_points_are_unchanged()
    {
        IReadOnlyList<string> ids = ["0016", "0032", "0048"];
        var saved = new[] { Probe(0, 0) with { Patch = "0016", Key = "k0" }, Probe(1, 1) with { Patch = "0032", Key = "k1" } };
        var path = Path.Combine(Directory.CreateTempSubdirectory("ks-round-").FullName, "round.json");
        ProbeRound.Save(path, saved);
        var loaded = ProbeRound.Load(path);
        Assert.That(loaded, Is.EqualTo(saved));
        Assert.That(ProbeRound.Pending(loaded, ids, i => $"k{i}", p => p.Slot == 0 ? RoundProbeState.Recorded : RoundProbeState.Submitted), Is.EqualTo(saved));
        Assert.That(ProbeRound.Pending(loaded, ids, i => $"k{i}", _ => RoundProbeState.Recorded), Is.Null, "finished: plan the next round");
        Assert.That(ProbeRound.Pending(loaded, ids, i => i == 1 ? "replaced" : $"k{i}", _ => RoundProbeState.New), Is.Null, "a patch was replaced: plan anew");
        File.WriteAllText(path, "{ torn");
        Assert.That(ProbeRound.Load(path), Is.Null);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }
}
