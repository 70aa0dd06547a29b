using Decentral.Agreement;
using Decentral.Simulation.Dst.Invariants;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;

namespace Decentral.Simulation.Tests.Dst;

/// <summary>Each invariant accepts a correct hand-made event sequence and rejects a broken one.</summary>
public sealed class InvariantTests
{
    private static readonly ClusterLayout ThreeSingles = new([1, 1, 1]);

    private static SentLog Sent(params ProtocolMessage[] messages)
    {
        var log = new SentLog();
        foreach (var m in messages)
        {
            log.Record(m);
        }
        return log;
    }

    [Fact]
    public void Validity_accepts_the_weighted_sum_of_what_was_sent()
    {
        var log = Sent(new RoundMessage(1, 1, 0, [0.0, 0.0]), new RoundMessage(1, 1, 1, [2.0, 4.0]));
        var e = new StageCompleted(2, new Stage(1, 1), [0, 1], [0.25, 0.75], [1.5, 3.0], false, new Stage(1, 1));
        Assert.Null(new ValidityInvariant(log).Check(e));
    }

    [Fact]
    public void Validity_fails_for_a_value_outside_the_weighted_inputs()
    {
        var log = Sent(new RoundMessage(1, 1, 0, [0.0, 0.0]), new RoundMessage(1, 1, 1, [2.0, 4.0]));
        // The midpoint would be (1, 2); (1, 2.5) is not what these weights give.
        var e = new StageCompleted(2, new Stage(1, 1), [0, 1], [0.5, 0.5], [1.0, 2.5], false, new Stage(1, 1));
        Assert.Contains("outside the inputs' hull", new ValidityInvariant(log).Check(e));
    }

    [Theory]
    [InlineData(0.7, 0.7)]
    [InlineData(1.5, -0.5)]
    public void Validity_fails_for_weights_that_are_not_convex(double w0, double w1)
    {
        var log = Sent(new ModelMessage(1, 0, [1.0]), new ModelMessage(1, 1, [3.0]));
        var e = new StageCompleted(2, new Stage(1, 0), [0, 1], [w0, w1], [(w0 * 1) + (w1 * 3)], false, new Stage(1, 0));
        Assert.NotNull(new ValidityInvariant(log).Check(e));
    }

    [Fact]
    public void Validity_fails_without_a_record_of_the_input()
    {
        var log = Sent(new ModelMessage(1, 0, [1.0]));
        var e = new StageCompleted(2, new Stage(1, 0), [0, 1], [0.5, 0.5], [2.0], false, new Stage(1, 0));
        Assert.Contains("no record", new ValidityInvariant(log).Check(e));
    }

    [Fact]
    public void Validity_accepts_either_vector_of_a_sender_that_sent_two()
    {
        // Sender 1 sent (4) before a crash and (8) after recovering from an older checkpoint.
        var log = Sent(new ModelMessage(1, 0, [0.0]), new ModelMessage(1, 1, [4.0]), new ModelMessage(1, 1, [8.0]));
        var validity = new ValidityInvariant(log);
        Assert.Null(validity.Check(new StageCompleted(2, new Stage(1, 0), [0, 1], [0.5, 0.5], [2.0], false, new Stage(1, 0))));
        Assert.Null(validity.Check(new StageCompleted(2, new Stage(1, 0), [0, 1], [0.5, 0.5], [4.0], false, new Stage(1, 0))));
        Assert.NotNull(validity.Check(new StageCompleted(2, new Stage(1, 0), [0, 1], [0.5, 0.5], [3.0], false, new Stage(1, 0))));
    }

    [Fact]
    public void Quorum_fails_for_a_minority_of_processes()
    {
        var layout = new ClusterLayout([2, 2]);
        var quorum = new QuorumInvariant(layout, QuorumRule.Processes);
        // Cluster 1 holds exactly half of the four processes: one short of a majority.
        Assert.Contains("without a quorum", quorum.Check(new StageCompleted(0, new Stage(3, 0), [0, 1], null, [0.0], false, new Stage(3, 0))));
        Assert.Null(quorum.Check(new StageCompleted(0, new Stage(3, 0), [0, 2], null, [0.0], false, new Stage(3, 0))));
    }

    [Fact]
    public void Quorum_by_clusters_needs_a_majority_of_clusters()
    {
        var layout = new ClusterLayout([4, 1, 1]);
        var quorum = new QuorumInvariant(layout, QuorumRule.Clusters);
        // Four of six processes, but one of three clusters.
        Assert.NotNull(quorum.Check(new StageCompleted(4, new Stage(1, 1), [0, 1, 2, 3], null, [0.0], true, new Stage(1, 0))));
        Assert.Null(quorum.Check(new StageCompleted(4, new Stage(1, 1), [4, 5], null, [0.0], false, new Stage(1, 1))));
    }

    [Fact]
    public void Bounded_buffers_fail_above_their_bounds_and_track_peaks()
    {
        var buffers = new BoundedBuffersInvariant(maxBufferedStages: 4, maxRegisterInstances: 10);
        Assert.Null(buffers.CheckNode(0, 4));
        Assert.Contains("buffers 5 stages", buffers.CheckNode(1, 5));
        Assert.Null(buffers.CheckCluster(0, 10));
        Assert.Contains("11 register arrays", buffers.CheckCluster(2, 11));
        Assert.Equal(5, buffers.PeakBufferedStages);
        Assert.Equal(11, buffers.PeakRegisterInstances);
    }

    [Fact]
    public void Liveness_fails_for_a_live_node_that_did_not_finish()
    {
        var nodes = new[] { Snapshot(0, [1.0], finished: true), Snapshot(1, [1.0], finished: false), Snapshot(2, [9.0], finished: false, crashed: true) };
        var problem = new LivenessInvariant(1e-3).Check(nodes, finishedInTime: false, "the budget");
        Assert.Contains("c1/n2", problem);
        Assert.DoesNotContain("c1/n3", problem);
    }

    [Fact]
    public void Liveness_measures_agreement_among_live_nodes_only()
    {
        var liveness = new LivenessInvariant(1e-3);
        // Δ₂ = 0.5 between the live models; ‖x̄‖∞ = 1.25, so ε·(1 + 1.25) = 0.00225.
        var apart = new[] { Snapshot(0, [1.0], true), Snapshot(1, [1.5], true), Snapshot(2, [50.0], false, crashed: true) };
        Assert.Contains("without ε-agreement", liveness.Check(apart, true, "the budget"));
        Assert.Equal(0.5, liveness.FinalDiameter, 12);
        Assert.Null(liveness.Check(apart, true, "the budget", agreementExpected: false));
        var together = new[] { Snapshot(0, [1.0], true), Snapshot(1, [1.001], true), Snapshot(2, [50.0], false, crashed: true) };
        Assert.Null(liveness.Check(together, true, "the budget"));
    }

    [Fact]
    public void Liveness_fails_when_every_node_is_down()
    {
        Assert.NotNull(new LivenessInvariant(1e-3).Check([Snapshot(0, [1.0], true, crashed: true)], true, "the budget"));
    }

    internal static NodeSnapshot Snapshot(int index, double[] model, bool finished, bool crashed = false) =>
        new(index, $"c1/n{index + 1}", new Stage(5, 0), model, finished, 0, crashed, 5, 0, 0, 0, 0, 1);

    internal static ClusterLayout Singles => ThreeSingles;
}
