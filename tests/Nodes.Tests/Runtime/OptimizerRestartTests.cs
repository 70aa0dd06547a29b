using Decentral.Agreement;
using Decentral.Nodes.Checkpoints;
using Decentral.Nodes.Objectives;
using Decentral.Nodes.Optimization;
using Decentral.Nodes.Optimization.Local;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Training;
using Decentral.Simulation;
using Decentral.TestKit;
using Xunit.Abstractions;

namespace Decentral.Nodes.Tests.Runtime;

/// <summary>
/// A restarted node resumes its local optimizer's state from its checkpoint. On one node (no peer to
/// skip with, batches a function of the iteration) a crash and restart must continue bit for bit as if
/// nothing happened — and the same restart with the optimizer state taken out of the checkpoint must not.
/// </summary>
public sealed class OptimizerRestartTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    private const string Node = "c1/n1";
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(5);

    public static TheoryData<string> Optimizers => ["momentum", "nesterov", "adam"];

    private static ILocalOptimizer Of(string name) => name switch
    {
        "momentum" => LocalOptimizers.Momentum(0.9),
        "nesterov" => LocalOptimizers.Nesterov(0.8),
        _ => LocalOptimizers.Adam(),
    };

    private static ClusterRunSpec Spec(ILocalOptimizer optimizer) => new()
    {
        Training = new TrainingSpec
        {
            Data = RuntimeFixtures.BreastCancerData,
            Model = LinearModels.LogisticL2(0.01),
            BatchSize = 32,
            StepSize = StepSize.Constant(0.02),
            Optimizer = optimizer,
            Seed = 3,
        },
        Protocol = new ProtocolOptions { Layout = ClusterLayout.Uniform(1, 1), Iterations = 60, Rounds = 1 },
        NetworkLatency = TimeSpan.FromMilliseconds(1),
        ResendInterval = TimeSpan.FromMilliseconds(50),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void A_restarted_node_resumes_its_optimizer_state_bit_for_bit(string name)
    {
        var uninterrupted = Run(name, restart: null);
        var resumed = Run(name, cluster =>
        {
            var saved = cluster.Runtime.Checkpoints.LoadLatestValid(Node).Checkpoint!;
            Assert.Equal(Of(name).Name, saved.Optimizer);
            Assert.Equal(Of(name).StateLength(saved.Model.Length), saved.OptimizerState.Length);
            Assert.Contains(saved.OptimizerState.ToArray(), v => v != 0);
        });
        var stateless = Run(name, cluster =>
        {
            // The same restart from a checkpoint without the optimizer's state (as a version-1 record reads).
            var saved = cluster.Runtime.Checkpoints.LoadLatestValid(Node).Checkpoint!;
            cluster.Runtime.Checkpoints.Save(new Checkpoint(saved.Node, saved.Incarnation, saved.Iteration, saved.Round, saved.Model.Span, [], saved.WrittenAt));
        });

        Assert.True(uninterrupted.AsSpan().SequenceEqual(resumed), $"{name}: the resumed run left the uninterrupted trajectory");
        Assert.False(uninterrupted.AsSpan().SequenceEqual(stateless), $"{name}: dropping the optimizer state changed nothing, so the test shows nothing");
    }

    [Fact]
    public void A_checkpoint_without_optimizer_state_is_reported_and_the_state_starts_afresh()
    {
        using var cluster = LocalCluster.Simulated(Spec(LocalOptimizers.Momentum()), CreateSimulation(), LoggerFactory);
        CrashAt(cluster, 20, cluster =>
        {
            var saved = cluster.Runtime.Checkpoints.LoadLatestValid(Node).Checkpoint!;
            cluster.Runtime.Checkpoints.Save(new Checkpoint(saved.Node, saved.Incarnation, saved.Iteration, saved.Round, saved.Model.Span, [], saved.WrittenAt));
        });
        cluster.AwaitFinished(Budget);

        var (_, problem) = Assert.Single(cluster.Events.CheckpointProblems);
        Assert.Equal("the checkpoint holds no optimizer state (0 values), this node runs momentum (30): its optimizer state starts afresh", problem);
        Assert.True(cluster.Node(Node).Finished);
    }

    private double[] Run(string name, Action<LocalCluster>? restart)
    {
        // Three runs in one test: each on its own simulator, all with the same seed.
        using var simulator = new Simulator(17);
        using var cluster = LocalCluster.Simulated(Spec(Of(name)), simulator, LoggerFactory);
        if (restart is not null)
        {
            CrashAt(cluster, 30, restart);
        }
        cluster.AwaitFinished(Budget);
        var node = cluster.Node(Node);
        Assert.True(node.Finished);
        Assert.Equal(restart is null ? 0 : 1, node.Incarnation);
        return node.Model.ToArray();
    }

    /// <summary>Crashes the node at <paramref name="iteration"/>, lets its last checkpoint land, runs <paramref name="beforeRestart"/>, restarts it.</summary>
    private static void CrashAt(LocalCluster cluster, int iteration, Action<LocalCluster> beforeRestart)
    {
        cluster.AwaitIteration(Node, iteration, Budget);
        cluster.Faults.Crash(Node);
        cluster.RunFor(TimeSpan.FromMilliseconds(100));
        beforeRestart(cluster);
        cluster.Faults.Restart(Node);
    }
}
