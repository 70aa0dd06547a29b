using Decentral.Agreement;
using Decentral.Nodes.Data;
using Decentral.Nodes.Objectives;
using Decentral.Nodes.Optimization;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Training;
using Decentral.TestKit;
using Xunit.Abstractions;

namespace ClusterTests;

/// <summary>
/// What a user of Decentral writes in their own test project: a 3 × 3 cluster in process, faults
/// injected by name, agreement and contraction asserted — on the deterministic simulator (the real
/// Akka node actors in virtual time) and on Akka's thread pool in real time.
/// </summary>
public sealed class ClusterScenarioTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    /// <summary>3 clusters × 3 nodes, L2-regularised logistic regression on a synthetic data set.</summary>
    private static ClusterRunSpec Spec(int iterations = 150) => new()
    {
        Training = new TrainingSpec
        {
            Data = SyntheticData.Logistic(rows: 400, dimension: 8, seed: 7).Data,
            Model = LinearModels.LogisticL2(0.01),
            BatchSize = 32,
            StepSize = StepSize.InverseTime(1.0, 50),
            Seed = 7,
        },
        Protocol = new ProtocolOptions
        {
            Layout = ClusterLayout.Uniform(3, 3),
            Quorum = QuorumRule.Processes,
            Iterations = iterations,
            Rounds = 3,
            FinalRounds = 20,
        },
        NetworkLatency = TimeSpan.FromMilliseconds(1),
        ResendInterval = TimeSpan.FromMilliseconds(50),
    };

    [Fact]
    public void Three_clusters_of_three_agree()
    {
        using var cluster = LocalCluster.Simulated(Spec(), CreateSimulation(), LoggerFactory);
        cluster.AwaitFinished(TimeSpan.FromMinutes(5));
        Assert.Equal(9, cluster.LiveNodes().Count);
        AgreementAssert.EpsilonAgreement(cluster, 1e-6);
        AgreementAssert.Valid(cluster);
    }

    [Fact]
    public void Crashed_node_restarts_from_its_checkpoint_and_catches_up()
    {
        using var cluster = LocalCluster.Simulated(Spec(), CreateSimulation(), LoggerFactory);
        cluster.AwaitIteration("c2/n2", 40, TimeSpan.FromMinutes(1));
        cluster.Faults.Crash("c2/n2");
        cluster.AwaitFrontier(80, TimeSpan.FromMinutes(1));
        cluster.Faults.Restart("c2/n2");
        cluster.AwaitFinished(TimeSpan.FromMinutes(5));
        var node = cluster.Node("c2/n2");
        Assert.True(node.Finished);
        Assert.True(node.SkippedIterations > 0, "the restarted node replayed instead of skipping to the frontier");
        AgreementAssert.EpsilonAgreement(cluster, 1e-6);
    }

    [Fact]
    public void Partitioned_minority_stalls_then_catches_up_with_contraction_within_q()
    {
        using var cluster = LocalCluster.Simulated(Spec(iterations: 200), CreateSimulation(), LoggerFactory);
        cluster.AwaitFrontier(20, TimeSpan.FromMinutes(1));
        cluster.Faults.Partition(["c1"], ["c2", "c3"]);
        var stalled = cluster.Node("c1/n1").Iteration;
        cluster.AwaitFrontier(100, TimeSpan.FromMinutes(1));
        Assert.InRange(cluster.Node("c1/n1").Iteration, stalled, stalled + 1);
        var healedAt = cluster.Frontier;
        cluster.Faults.Heal();
        cluster.AwaitFinished(TimeSpan.FromMinutes(5));
        Assert.True(cluster.Node("c1/n1").Finished);
        var q = ContractionBound.PerTwoRounds(3);
        var worst = AgreementAssert.Contracts(cluster.Events, window: 2, factor: q, minIteration: healedAt + 2);
        Output.WriteLine($"worst two-round contraction after the heal {worst:g3} (q = {q:g3})");
        AgreementAssert.EpsilonAgreement(cluster, 1e-6);
    }

    [Fact]
    public void The_same_cluster_agrees_in_real_time_on_akka()
    {
        using var cluster = LocalCluster.RealTime(Spec() with { NetworkLatency = TimeSpan.Zero }, LoggerFactory);
        cluster.AwaitFinished(TimeSpan.FromSeconds(60));
        AwaitAssert(() => Assert.Equal(9, cluster.LiveNodes().Count(n => n.Finished)), TimeSpan.FromSeconds(5));
        AgreementAssert.EpsilonAgreement(cluster, 1e-4);
    }
}
