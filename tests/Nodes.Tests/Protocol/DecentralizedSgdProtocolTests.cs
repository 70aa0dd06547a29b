using Decentral.Agreement;
using Decentral.Nodes.Protocol;

namespace Decentral.Nodes.Tests.Protocol;

public sealed class DecentralizedSgdProtocolTests
{
    private static ProtocolOptions Options(int[] sizes, int iterations = 20, int rounds = 2, QuorumRule? quorum = null) => new()
    {
        Layout = new ClusterLayout(sizes),
        Quorum = quorum ?? QuorumRule.Processes,
        Iterations = iterations,
        Rounds = rounds,
        ClusterRounds = 3,
    };

    private static Func<int, INodeWorkload> Targets(int n, int d, double eta = 0.3) =>
        i => new QuadraticWorkload(Enumerable.Range(0, d).Select(k => (double)((i * 7) + k) % 5).ToArray(), eta);

    private static double Diameter(IEnumerable<ReadOnlyMemory<double>> models) =>
        VectorMath.DiameterL2(models.ToList());

    [Fact]
    public void Fault_free_run_completes_every_iteration_on_every_node()
    {
        var options = Options([3, 3, 3]);
        var h = new ProtocolHarness(options, Targets(9, 4), seed: 1);
        h.StartAll();
        h.RunWithTicks(5);
        for (var i = 0; i < 9; i++)
        {
            Assert.True(h.Node(i).IsFinished, $"node {i} stopped at {h.Node(i).Stage}");
        }
        var completed = h.Events.OfType<IterationCompleted>().ToList();
        Assert.All(Enumerable.Range(0, 9), i =>
            Assert.Equal(options.Iterations, completed.Count(e => e.Node == i && !e.Skipped) + completed.Where(e => e.Node == i && e.Skipped).Sum(_ => 1)));
    }

    [Fact]
    public void Every_completed_stage_has_a_quorum_of_senders_and_a_value_in_their_hull()
    {
        var options = Options([3, 2, 4], iterations: 15);
        var h = new ProtocolHarness(options, Targets(9, 3), seed: 7);
        h.StartAll();
        h.RunWithTicks(5);
        var sent = h.Sent.GroupBy(m => (m.Stage, m.Sender)).ToDictionary(g => g.Key, g => g.First().Vector);
        var stages = h.Events.OfType<StageCompleted>().ToList();
        Assert.NotEmpty(stages);
        foreach (var s in stages)
        {
            var processes = s.Senders.Select(options.Layout.ProcessAt);
            Assert.True(options.Quorum.IsQuorum(processes, options.Layout), $"node {s.Node} completed {s.Stage} with {string.Join(',', s.Senders)}");
            Assert.NotNull(s.Weights);
            Assert.Equal(1.0, s.Weights!.Sum(), 12);
            Assert.All(s.Weights!, w => Assert.True(w >= 0));
            var recomposed = new double[s.Value.Length];
            for (var i = 0; i < s.Senders.Count; i++)
            {
                var v = sent[(s.Stage, s.Senders[i])];
                for (var k = 0; k < v.Length; k++)
                {
                    recomposed[k] += s.Weights![i] * v[k];
                }
            }
            for (var k = 0; k < recomposed.Length; k++)
            {
                Assert.True(Math.Abs(recomposed[k] - s.Value[k]) < 1e-9, $"{s.Stage} coordinate {k}: {s.Value[k]} vs {recomposed[k]}");
            }
        }
    }

    [Fact]
    public void Nodes_converge_to_the_minimiser_of_the_average_objective()
    {
        // Σ_i ½‖x − c_i‖² is minimised at the mean target; with a shrinking disagreement the nodes get close.
        const int d = 3;
        var options = Options([3, 3, 3], iterations: 60, rounds: 3) with { FinalRounds = 20 };
        var workloads = Targets(9, d, eta: 0.2);
        var h = new ProtocolHarness(options, workloads, seed: 3);
        h.StartAll();
        h.RunWithTicks(5);
        var models = Enumerable.Range(0, 9).Select(i => h.Node(i).Model).ToList();
        Assert.True(Diameter(models) < 1e-3, $"final diameter {Diameter(models)}");
        // Every node's value stays inside the box of the targets (validity of averaging and agreement).
        var targets = Enumerable.Range(0, 9).Select(i => Enumerable.Range(0, d).Select(k => (double)((i * 7) + k) % 5).ToArray()).ToList();
        foreach (var m in models)
        {
            for (var k = 0; k < d; k++)
            {
                Assert.InRange(m.Span[k], targets.Min(t => t[k]) - 1e-9, targets.Max(t => t[k]) + 1e-9);
            }
        }
    }

    [Fact]
    public void A_node_cut_off_and_reconnected_skips_to_the_frontier_without_replaying()
    {
        var options = Options([3, 3, 3], iterations: 40);
        var h = new ProtocolHarness(options, Targets(9, 2), seed: 11);
        h.StartAll();
        h.Isolate(0);
        h.Run(until: () => h.Node(1).Stage.Iteration >= 20);
        var stuckAt = h.Node(0).Stage.Iteration;
        Assert.True(stuckAt <= 1, $"an isolated node cannot progress without a quorum (at {stuckAt})");
        h.HealAll();
        h.RunWithTicks(10);
        Assert.True(h.Node(0).IsFinished);
        var own = h.Events.OfType<IterationCompleted>().Where(e => e.Node == 0).Select(e => e.Iteration).ToList();
        Assert.Contains(own, t => t >= 20);
        Assert.True(own.Count < options.Iterations - 10, $"node 0 replayed iterations: {string.Join(',', own)}");
        Assert.True(h.Node(0).Counters.SkippedIterations >= 10);
    }

    [Fact]
    public void A_minority_partition_does_not_advance_and_the_majority_does()
    {
        var options = Options([3, 3, 3], iterations: 30);
        var h = new ProtocolHarness(options, Targets(9, 2), seed: 5);
        int[] minority = [0, 1, 2];
        foreach (var a in minority)
        {
            for (var b = 3; b < 9; b++)
            {
                h.Cut(a, b);
                h.Cut(b, a);
            }
        }
        h.StartAll();
        h.RunWithTicks(3);
        Assert.All(minority, i => Assert.Equal(1, h.Node(i).Stage.Iteration));
        Assert.All(Enumerable.Range(3, 6), i => Assert.True(h.Node(i).IsFinished));
    }

    [Fact]
    public void Restarted_node_resumes_from_its_checkpoint_with_a_new_incarnation()
    {
        var options = Options([3, 3, 3], iterations: 30);
        var h = new ProtocolHarness(options, Targets(9, 2), seed: 2);
        h.StartAll();
        h.Run(until: () => h.Node(4).Stage.Iteration >= 10);
        var checkpoint = h.Checkpoints[4][^1];
        var completed = h.Events.OfType<IterationCompleted>().Last(e => e.Node == 4);
        Assert.Equal(completed.Iteration + 1, checkpoint.Iteration);
        Assert.Equal(completed.Model, checkpoint.Model);
        h.Crash(4);
        h.Run(until: () => h.Node(0).Stage.Iteration >= 20);
        h.Restart(4);
        var started = h.Events.OfType<NodeStarted>().Last(e => e.Node == 4);
        Assert.True(started.FromCheckpoint);
        Assert.Equal(1, started.Incarnation);
        Assert.Equal(checkpoint.Iteration, started.Stage.Iteration);
        h.RunWithTicks(10);
        Assert.True(h.Node(4).IsFinished);
        var after = h.Events.SkipWhile(e => e != started).OfType<IterationCompleted>().Where(e => e.Node == 4).ToList();
        Assert.True(after[0].Skipped, "the first iteration after the restart must be a skip to the frontier");
        Assert.True(after[0].Iteration >= 19, $"resumed at {after[0].Iteration}");
    }

    [Fact]
    public void A_node_restarted_after_the_others_finished_skips_to_the_last_iteration_and_reports_it()
    {
        var options = Options([3, 3, 3], iterations: 30);
        var h = new ProtocolHarness(options, Targets(9, 2), seed: 4);
        h.StartAll();
        h.Run(until: () => h.Node(4).Stage.Iteration >= 10);
        h.Crash(4);
        h.RunWithTicks(10, until: () => Enumerable.Range(0, 9).Where(i => i != 4).All(i => h.Node(i).IsFinished));
        Assert.All(Enumerable.Range(0, 9).Where(i => i != 4), i => Assert.True(h.Node(i).IsFinished));

        h.Restart(4);
        var started = h.Events.OfType<NodeStarted>().Last(e => e.Node == 4);
        h.RunWithTicks(10, until: () => h.Node(4).IsFinished);

        Assert.True(h.Node(4).IsFinished);
        var after = h.Events.SkipWhile(e => e != started).OfType<IterationCompleted>().Where(e => e.Node == 4).ToList();
        Assert.Equal(options.Iterations, Assert.Single(after).Iteration);
        Assert.True(after[0].Skipped);

        // A finished node's stage is the last one it completed, however it got there (status and summaries read it).
        Assert.Equal(options.Iterations, h.Node(4).Stage.Iteration);
        Assert.Equal(h.Node(0).Stage, h.Node(4).Stage);
    }

    [Fact]
    public void Malformed_messages_are_rejected_and_counted()
    {
        var options = Options([2, 2], iterations: 5);
        var p = new DecentralizedSgdProtocol(options, 0, new QuadraticWorkload([1.0, 2.0], 0.1), new ClusterMemory(2));
        p.Start();
        Assert.Contains(p.Handle(new ModelMessage(1, 1, [1.0])), e => e is Observe { Event: MessageRejected });
        Assert.Contains(p.Handle(new ModelMessage(1, 1, [double.NaN, 1])), e => e is Observe { Event: MessageRejected });
        Assert.Contains(p.Handle(new ModelMessage(1, 9, [1.0, 1.0])), e => e is Observe { Event: MessageRejected });
        Assert.Contains(p.Handle(new ModelMessage(6, 1, [1.0, 1.0])), e => e is Observe { Event: MessageRejected });
        Assert.Contains(p.Handle(new RoundMessage(1, 3, 1, [1.0, 1.0])), e => e is Observe { Event: MessageRejected });
        Assert.Equal(5, p.Counters.Rejected);
        Assert.Equal(0, p.BufferedStages);
    }

    [Fact]
    public void Future_stages_are_buffered_within_the_bound()
    {
        var options = Options([1, 1, 1], iterations: 1000) with { MaxBufferedStages = 8 };
        var p = new DecentralizedSgdProtocol(options, 0, new QuadraticWorkload([1.0], 0.1), new ClusterMemory(1));
        p.Start();
        for (var t = 2; t <= 400; t++)
        {
            p.Handle(new ModelMessage(t, 1, [t]));
            Assert.True(p.BufferedStages <= 8);
        }
        // A quorum for a far later stage still makes the node skip there.
        p.Handle(new ModelMessage(400, 2, [400.0]));
        Assert.True(p.Stage.Iteration >= 400, $"at {p.Stage}");
    }

    [Fact]
    public void Mdaa_rounds_aggregate_one_value_per_cluster_and_model_rounds_every_model()
    {
        var options = Options([3, 3, 3], iterations: 12);
        var h = new ProtocolHarness(options, Targets(9, 3), seed: 5);
        h.StartAll();
        h.RunWithTicks(5);
        var stages = h.Events.OfType<StageCompleted>().ToList();
        var clustersOf = (StageCompleted c) => c.Senders.Select(s => options.Layout.ProcessAt(s).Cluster).ToList();
        Assert.All(stages.Where(c => c.Stage.Round > 0), c => Assert.Equal(c.Senders.Count, clustersOf(c).Distinct().Count()));
        // Round 0 keeps every model it heard: some quorum there holds two members of one cluster.
        Assert.Contains(stages.Where(c => c.Stage.Round == 0), c => clustersOf(c).Distinct().Count() < c.Senders.Count);
        Assert.True(Enumerable.Range(0, 9).Sum(i => h.Node(i).Counters.Represented) > 0);
    }

    [Fact]
    public void Under_an_any_quorum_every_round_value_counts()
    {
        var options = Options([3, 3, 3], iterations: 8, quorum: QuorumRule.Any(5));
        var h = new ProtocolHarness(options, Targets(9, 3), seed: 5);
        h.StartAll();
        h.RunWithTicks(5);
        Assert.All(Enumerable.Range(0, 9), i => Assert.Equal(0, h.Node(i).Counters.Represented));
        Assert.All(h.Events.OfType<StageCompleted>(), c => Assert.True(c.Senders.Count >= 5));
    }

    [Fact]
    public void Stages_map_to_consecutive_rounds_of_one_instance()
    {
        var options = Options([1], iterations: 4, rounds: 2) with { FinalRounds = 3 };
        var stages = new List<Stage>();
        for (var t = 1; t <= 4; t++)
        {
            for (var r = 0; r <= options.RoundsFor(t); r++)
            {
                stages.Add(new Stage(t, r));
            }
        }
        Assert.Equal(Enumerable.Range(0, stages.Count), stages.Select(options.OrdinalOf));
        Assert.Equal(stages, Enumerable.Range(0, stages.Count).Select(options.StageAt));
        Assert.Equal(stages.Count - 1, options.LastOrdinal);
    }

    [Fact]
    public void The_cluster_memory_marker_never_moves_backwards_under_concurrent_members()
    {
        var memory = new ClusterMemory(4);
        var highest = 0;
        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            // Members racing forward, each from a different start, interleaved with laggards far behind.
            var iteration = i % 7 == 0 ? 1 + (i % 5) : 1 + (i / 3);
            memory.For(new Stage(iteration, i % 3));
            int seen;
            do
            {
                seen = Volatile.Read(ref highest);
            }
            while (iteration > seen && Interlocked.CompareExchange(ref highest, iteration, seen) != seen);
            Assert.True(memory.NewestIteration >= iteration);
        });
        Assert.Equal(highest, memory.NewestIteration);
        // Bounded (independent of the 6,667 iterations walked): the retained window and the laggards' iterations, plus stragglers of races.
        Assert.True(memory.InstanceCount < 100, $"{memory.InstanceCount} arrays");
    }

    [Fact]
    public void A_non_finite_gradient_step_stops_the_node_without_sending_it()
    {
        var options = Options([1, 1, 1], iterations: 5);
        var p = new DecentralizedSgdProtocol(options, 0, new QuadraticWorkload([1.0], double.PositiveInfinity), new ClusterMemory(1));
        p.Start();
        var effects = p.Handle(new ComputeDone(1));
        var diverged = Assert.Single(effects.OfType<Observe>().Select(o => o.Event).OfType<ModelDiverged>());
        Assert.Equal(1, diverged.Iteration);
        Assert.DoesNotContain(effects, e => e is Broadcast);
        Assert.True(p.HasDiverged);
        Assert.False(p.IsFinished);
        Assert.Empty(p.Handle(new ModelMessage(1, 1, [0.5])).OfType<Broadcast>());
    }

    [Fact]
    public void Correct_protocol_waits_for_a_quorum()
    {
        var options = Options([2, 2], iterations: 3);
        var p = new DecentralizedSgdProtocol(options, 0, new QuadraticWorkload([1.0], 0.1), new ClusterMemory(2));
        p.Start();
        p.Handle(new ComputeDone(1));
        p.Handle(new ModelMessage(1, 1, [0.5]));
        Assert.Equal(new Stage(1, 0), p.Stage);
        p.Handle(new ModelMessage(1, 2, [0.7]));
        Assert.True(p.Stage > new Stage(1, 0));
    }
}
