using Decentral.Agreement;

using Decentral.Nodes.Protocol;
using Decentral.Simulation.Dst;

namespace Decentral.Simulation.Tests.Dst;

/// <summary>The mutants bend the protocol only through its seam (RoundRules, ProtocolRules), and do what their names say.</summary>
public sealed class PlantedBugTests
{
    private static readonly ClusterLayout Layout = new([3, 2, 4]); // n = 9: a quorum holds ≥ 5 processes

    private static double[] V(params double[] x) => x;

    private static Mdaa Machine(RoundRules rules) =>
        new(Layout, QuorumRule.Processes, new MdaaSchedule(3, Mean.Instance, false), 1, Mdaa.DefaultMaxBufferedRounds, rules);

    [Fact]
    public void Quorum_one_short_completes_a_round_with_four_of_nine_processes_the_faithful_rules_do_not()
    {
        Assert.Equal(MdaaStatus.Advanced, Machine(QuorumOneShortRounds.Instance).Receive(1, new ProcessId(2, 0), V(1.0)).Status);
        Assert.NotEqual(MdaaStatus.Advanced, Machine(RoundRules.Faithful).Receive(1, new ProcessId(2, 0), V(1.0)).Status);
    }

    [Fact]
    public void Skip_without_quorum_jumps_to_a_later_round_on_one_message_the_faithful_rules_do_not()
    {
        var skipping = Machine(SkipWithoutQuorumRounds.Instance);
        skipping.Offer(3, new ProcessId(0, 0), V(1.0));
        Assert.Equal(3, skipping.TryComplete(includeCurrent: false)!.CompletedRound);
        var faithful = Machine(RoundRules.Faithful);
        faithful.Offer(3, new ProcessId(0, 0), V(1.0));
        Assert.Null(faithful.TryComplete(includeCurrent: false));
    }

    [Fact]
    public void A_protocol_with_the_quorum_mutant_completes_a_stage_its_own_cluster_alone_heard()
    {
        var options = new ProtocolOptions
        {
            Layout = new ClusterLayout([2, 2]),
            Quorum = QuorumRule.Processes,
            Iterations = 3,
            Rounds = 2,
            ClusterRounds = 3,
            Rules = DstMutant.QuorumOneShort.Rules,
        };
        var p = new DecentralizedSgdProtocol(options, 0, new ConstantWorkload(), new ClusterMemory(2));
        p.Start();
        p.Handle(new ComputeDone(1));
        // Only this node's own cluster (2 of 4 processes) has spoken: not a quorum, yet the mutant advances.
        Assert.True(p.Stage > new Stage(1, 0));
        var faithful = new DecentralizedSgdProtocol(options with { Rules = ProtocolRules.Faithful }, 0, new ConstantWorkload(), new ClusterMemory(2));
        faithful.Start();
        faithful.Handle(new ComputeDone(1));
        Assert.Equal(new Stage(1, 0), faithful.Stage);
    }

    [Fact]
    public void Checkpoint_before_state_writes_the_previous_model()
    {
        double[] before = [1.0], after = [2.0];
        Assert.Same(before, CheckpointBeforeStateRules.Instance.CheckpointedModel(before, after));
        Assert.Same(after, ProtocolRules.Faithful.CheckpointedModel(before, after));
    }

    private sealed class ConstantWorkload : INodeWorkload
    {
        public int Dimension => 1;

        public double[] InitialModel() => [0.0];

        public void Perturb(int iteration, ReadOnlySpan<double> x, Span<double> y) => x.CopyTo(y);

        public TimeSpan ComputeDelay(int iteration) => TimeSpan.Zero;
    }
}
