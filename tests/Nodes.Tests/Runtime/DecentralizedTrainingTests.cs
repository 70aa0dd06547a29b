using System.Runtime.CompilerServices;
using Decentral.Agreement;
using Decentral.Nodes.Compute;
using Decentral.Nodes.Objectives;
using Decentral.Nodes.Optimization;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;
using Decentral.TestKit;
using Xunit.Abstractions;

namespace Decentral.Nodes.Tests.Runtime;

/// <summary>
/// The training acceptance scenarios, written once against <see cref="LocalCluster"/> and run on the
/// deterministic simulator (the Akka node actors in virtual time) and on Akka's thread pool (real time).
/// </summary>
public abstract class DecentralizedTrainingScenarios(ITestOutputHelper output) : DecentralTestKit(output)
{
    private static readonly Lazy<ExactSolution> Optimum = new(() =>
        ExactSolver.Solve(RuntimeFixtures.BreastCancerL2().Training.GlobalObjective()));

    /// <summary>Upper bound on any wait: virtual time on the simulator, wall time on the thread pool.</summary>
    protected abstract TimeSpan Budget { get; }

    protected abstract LocalCluster Start(ClusterRunSpec spec, [CallerMemberName] string test = "");

    [Fact]
    public void Three_clusters_of_three_reach_the_L2_optimum_and_agree()
    {
        using var cluster = Start(RuntimeFixtures.BreastCancerL2());
        cluster.AwaitFinished(Budget);
        var summary = cluster.Summarize();
        var xbar = cluster.AverageModel();
        var norm = Math.Sqrt(xbar.Sum(v => v * v));
        Output.WriteLine($"loss {summary.Final.Loss:R} optimum {Optimum.Value.Value:R} gap {summary.Final.Loss - Optimum.Value.Value:g3} Δ₂ {summary.Final.DiameterL2:g3} virtual {summary.VirtualSeconds:0.###} s");
        Assert.InRange(summary.Final.Loss - Optimum.Value.Value, -1e-12, 1e-3);
        Assert.True(summary.Final.DiameterL2 < 1e-6 * (1 + norm), $"Δ₂ = {summary.Final.DiameterL2:g3}");
        Assert.True(AgreementAssert.Valid(cluster) > 0);
    }

    [Fact]
    public void Crashed_node_recovers_from_its_checkpoint_and_skips_to_the_frontier()
    {
        using var cluster = Start(RuntimeFixtures.BreastCancerL2());
        const string victim = "c2/n2";
        var index = cluster.IndexOf(victim);
        cluster.AwaitIteration(victim, 50, Budget);
        cluster.Faults.Crash(victim);
        var crashedAt = cluster.Node(victim).Iteration;

        // The others move on while it is down (in real time on a loaded machine the crash may land later
        // than iteration 50, so the restart waits for 30 iterations past it, at least to 80). A checkpoint
        // the node asked for just before the crash is still made durable by the writer, so the one to
        // resume from is read when the node restarts.
        cluster.AwaitFrontier(Math.Max(80, crashedAt + 30), Budget);
        var checkpointed = cluster.Runtime.Checkpoints.LoadLatestValid(victim).Checkpoint!;
        var frontierAtRestart = cluster.Frontier;
        cluster.Faults.Restart(victim);
        cluster.AwaitFinished(Budget);

        var started = cluster.Events.Of<Decentral.Nodes.Protocol.NodeStarted>().Last(e => e.Node == index);
        Assert.True(started.FromCheckpoint);
        Assert.Equal(checkpointed.Iteration, started.Stage.Iteration);
        var afterRestart = cluster.Events.Events.SkipWhile(e => e != started).OfType<Decentral.Nodes.Protocol.IterationCompleted>().Where(e => e.Node == index).ToList();
        Output.WriteLine($"checkpoint at {checkpointed.Iteration}, frontier at restart {frontierAtRestart}, first completed after restart {afterRestart[0].Iteration} (skipped: {afterRestart[0].Skipped})");
        Assert.True(afterRestart[0].Skipped);
        Assert.True(afterRestart[0].Iteration >= frontierAtRestart - 1, "the restarted node replayed iterations it had missed");
        Assert.DoesNotContain(afterRestart, e => e.Iteration < frontierAtRestart - 1);
        AgreementAssert.EpsilonAgreement(cluster, 1e-6);
    }

    [Fact]
    public void Crashing_a_minority_of_clusters_never_stops_the_rest()
    {
        using var cluster = Start(RuntimeFixtures.BreastCancerL2(iterations: 150));
        cluster.AwaitFrontier(20, Budget);
        cluster.Faults.Crash("c3");
        var atCrash = cluster.Frontier;
        cluster.AwaitFinished(Budget);
        Assert.All(cluster.LiveNodes(), n => Assert.True(n.Finished, $"{n.Name} stopped at {n.Stage}"));
        Assert.Equal(6, cluster.LiveNodes().Count);
        Assert.True(cluster.Frontier > atCrash);
        AgreementAssert.EpsilonAgreement(cluster, 1e-6);
        AgreementAssert.Valid(cluster);
    }

    [Fact]
    public void Partitioned_minority_stalls_without_diverging_and_catches_up_after_heal()
    {
        using var cluster = Start(RuntimeFixtures.BreastCancerL2(iterations: 200));
        cluster.AwaitFrontier(20, Budget);
        cluster.Faults.Partition(["c1"], ["c2", "c3"]);
        var minority = cluster.NodeNames.Where(n => n.StartsWith("c1/", StringComparison.Ordinal)).ToList();
        var stalledAt = minority.ToDictionary(n => n, n => cluster.Node(n).Iteration);
        var modelsAtPartition = minority.ToDictionary(n => n, n => cluster.Node(n).Model.ToArray());
        cluster.AwaitFrontier(120, Budget);
        foreach (var n in minority)
        {
            // No quorum on the minority side: it may finish the iteration it was in, no more.
            Assert.InRange(cluster.Node(n).Iteration, stalledAt[n], stalledAt[n] + 1);
            Assert.True(VectorMath.SquaredDistance(cluster.Node(n).Model.Span, modelsAtPartition[n]) < 1.0, $"{n} drifted while partitioned");
        }
        var healedAt = cluster.Frontier;
        cluster.Faults.Heal();
        cluster.AwaitFinished(Budget);
        foreach (var n in minority)
        {
            Assert.True(cluster.Node(n).SkippedIterations >= 50, $"{n} skipped only {cluster.Node(n).SkippedIterations} iterations");
        }
        // Agreement contraction resumes within two iterations of the heal: from then on every two
        // rounds shrink the nodes' disagreement at least by the paper's factor q for m = 3.
        var q = ContractionBound.PerTwoRounds(3);
        var worst = AgreementAssert.Contracts(cluster.Events, window: 2, factor: q, minIteration: healedAt + 2);
        Output.WriteLine($"healed at {healedAt}; worst two-round contraction afterwards {worst:g3} (bound {q:g3})");
        AgreementAssert.EpsilonAgreement(cluster, 1e-6);
        AgreementAssert.Valid(cluster);
    }

    [Fact]
    public void Quorum_of_any_two_withstands_a_partition_and_both_sides_reach_the_optimum()
    {
        var spec = RuntimeFixtures.BreastCancerL2(iterations: 400, quorum: QuorumRule.Any(2), rounds: 1);
        using var cluster = Start(spec);
        cluster.AwaitFrontier(5, Budget);
        cluster.Faults.Partition(["c1"], ["c2", "c3"]);
        var c1AtPartition = cluster.Node("c1/n1").Iteration;
        cluster.AwaitCondition(() => cluster.Node("c1/n1").Iteration >= 300 && cluster.Node("c2/n1").Iteration >= 300, Budget, "both sides to progress to iteration 300");
        Output.WriteLine($"c1/n1 at {c1AtPartition} when partitioned, now {cluster.Node("c1/n1").Iteration}; c2/n1 at {cluster.Node("c2/n1").Iteration}");
        Assert.True(cluster.Node("c1/n1").Iteration > c1AtPartition + 100, "the minority side stopped progressing");
        cluster.Faults.Heal();
        cluster.AwaitFinished(Budget);
        foreach (var node in cluster.LiveNodes())
        {
            var loss = cluster.Runtime.Evaluation.Value(node.Model.Span);
            Assert.True(loss - Optimum.Value.Value < 1e-3, $"{node.Name}: loss {loss:R} vs optimum {Optimum.Value.Value:R}");
        }
    }
}

public sealed class SimulatedTrainingTests(ITestOutputHelper output) : DecentralizedTrainingScenarios(output)
{
    protected override TimeSpan Budget => TimeSpan.FromMinutes(30);

    protected override LocalCluster Start(ClusterRunSpec spec, [CallerMemberName] string test = "") =>
        LocalCluster.Simulated(spec, CreateSimulation(testName: test), LoggerFactory);
}

public sealed class RealTimeTrainingTests(ITestOutputHelper output) : DecentralizedTrainingScenarios(output)
{
    // Generous: it only bounds a failure; a passing scenario takes a second or two.
    protected override TimeSpan Budget => TimeSpan.FromSeconds(60);

    // Each gradient takes 3 ms of real time, so the scenario's awaits (polled every few ms) land
    // within a few iterations of the point they name instead of after the run has ended.
    protected override LocalCluster Start(ClusterRunSpec spec, [CallerMemberName] string test = "") =>
        LocalCluster.RealTime(
            spec with
            {
                NetworkLatency = TimeSpan.Zero,
                Training = spec.Training with { ComputeTime = ComputeTimeKind.Fixed, ComputeScale = 0.003 },
            },
            LoggerFactory);
}
