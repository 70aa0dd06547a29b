using Decentral.Agreement;
using Decentral.Nodes.Data;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Tests.Runtime;
using Decentral.TestKit;
using Xunit.Abstractions;

namespace Decentral.Nodes.Tests.Models;

/// <summary>
/// A user's model breaking on one node, on the simulated 3 × 3 cluster: that node stops as if crashed,
/// named with the model's type and the iteration, and the other eight finish and agree.
/// </summary>
public sealed class ModelFailureClusterTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(10);

    private static ClusterRunSpec Spec(Decentral.Nodes.Models.ModelFactory model)
    {
        var spec = RuntimeFixtures.BreastCancerL2(iterations: 120, finalRounds: 20);
        return spec with { Training = spec.Training with { Model = model, Partition = PartitionMode.Sharded } };
    }

    [Fact]
    public void A_node_whose_gradient_turns_NaN_stops_and_the_other_eight_finish_and_agree()
    {
        // Node 4 of 9 (c2/n1) samples shard 4/9; its instance breaks at its 30th gradient.
        var spec = Spec(d => new FaultyModel(d.Dimension, ModelFault.WritesNaN, fromCall: 30, onData: "[shard 4/9]"));
        using var cluster = LocalCluster.Simulated(spec, CreateSimulation(), LoggerFactory);

        cluster.AwaitFinished(Budget);

        var failure = Assert.Single(cluster.Runtime.ModelFailures);
        Assert.Equal(cluster.IndexOf("c2/n1"), failure.Node);
        Assert.InRange(failure.Iteration, 30, 120);
        Assert.Contains($"model 'faulty' ({typeof(FaultyModel).FullName}) on node c2/n1 at iteration {failure.Iteration}: the gradient has a non-finite value at coordinate 1", failure.Detail, StringComparison.Ordinal);
        var victim = cluster.Node("c2/n1");
        Assert.True(victim.Crashed);
        Assert.Equal(failure.Detail, victim.Failure);
        Assert.Equal(failure.Iteration, victim.Iteration); // it never completed the iteration it failed in
        var others = cluster.Runtime.Nodes.Select(n => n.Snapshot).Where(n => n.Name != "c2/n1").ToList();
        Assert.All(others, n => Assert.True(n.Finished, $"{n.Name} did not finish"));
        Assert.Equal(8, cluster.LiveNodes().Count);
        AgreementAssert.EpsilonAgreement(cluster, 1e-6);
        var summary = cluster.Summarize();
        Assert.True(summary.Completed);
        var reported = Assert.Single(summary.Failures);
        Assert.Equal(("c2/n1", failure.Iteration), (reported.Node, reported.Iteration));
        Assert.True(double.IsFinite(summary.Final.Loss));
    }

    [Fact]
    public void A_node_whose_model_starts_from_other_parameters_never_joins_and_the_rest_finish()
    {
        // The reference instance is made first, then the evaluator's, then one per node as it starts: the
        // fourth instance made starts at 0.5 instead of 0.
        var instances = 0;
        var spec = Spec(d => new FaultyModel(d.Dimension, ModelFault.None, start: Interlocked.Increment(ref instances) == 4 ? 0.5 : 0));
        using var cluster = LocalCluster.Simulated(spec, CreateSimulation(), LoggerFactory);

        cluster.AwaitFinished(Budget);

        var failure = Assert.Single(cluster.Runtime.ModelFailures);
        Assert.Equal(0, failure.Iteration);
        var name = cluster.NodeNames[failure.Node];
        Assert.Contains($"on node {name} at start: its initial parameters differ from the run's x₁ at coordinate 0 (0.5 vs 0)", failure.Detail, StringComparison.Ordinal);
        Assert.True(cluster.Node(name).Crashed);
        Assert.Equal(8, cluster.LiveNodes().Count(n => n.Finished));
        AgreementAssert.EpsilonAgreement(cluster, 1e-6);
    }
}
