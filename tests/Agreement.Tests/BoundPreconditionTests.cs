namespace Decentral.Agreement.Tests;

/// <summary>
/// Where the contraction bound q = (2⌊m/2⌋+1)/(2⌊m/2⌋+2) does not apply, shown on the smallest instances.
/// The campaign asserts the bound only outside these cases.
/// </summary>
public sealed class BoundPreconditionTests
{
    [Fact]
    public void With_one_cluster_a_process_own_message_is_a_quorum_so_only_cluster_agreement_contracts()
    {
        // m = 1: q = 1/2, yet every process may complete each round on its own value. With K = 1 the cluster
        // round is a no-op (output = input), so nothing contracts at all; K ≥ 2 is a precondition.
        var layout = new ClusterLayout([3]);
        var inputs = new[] { new double[] { 0 }, new double[] { 1 }, new double[] { 2 } };
        for (var i = 0; i < 3; i++)
        {
            var z = new ClusterAgreement(i, 3, inputs[i], rounds: 1);
            z.Step(new InMemoryRegisterArray(3));
            Assert.Equal(inputs[i], z.Output.ToArray());
            var mdaa = new Mdaa(layout, QuorumRule.Processes, rounds: 1, dimension: 1);
            var adv = mdaa.Receive(1, layout.ProcessAt(i), z.Output).Advance;
            Assert.NotNull(adv);
            Assert.Equal(inputs[i], adv.Value.ToArray());
        }
    }

    [Fact]
    public void A_coordinate_wise_median_ignores_the_shared_minority_and_need_not_contract()
    {
        // [3, 3] under quorum=processes needs both clusters, so quorums intersect. But if each side hears its
        // own cluster three times and the other once, the median discards the one value the sides share.
        var layout = new ClusterLayout([3, 3]);
        double[] Run(int home)
        {
            var mdaa = new Mdaa(layout, QuorumRule.Processes, rounds: 1, dimension: 1, rule: CoordinateWiseMedian.Instance);
            var own = home == 0 ? 0.0 : 1.0;
            for (var j = 0; j < 3; j++)
            {
                mdaa.Receive(1, new ProcessId(home, j), new[] { own });
            }

            return mdaa.Receive(1, new ProcessId(1 - home, 0), new[] { 1 - own }).Advance!.Value.ToArray();
        }

        Assert.Equal([0.0], Run(0));
        Assert.Equal([1.0], Run(1)); // diameter still 1 after the round: ratio 1 > q = 3/4
        // The mean of the same quorums does contract: 1/4 and 3/4.
        Assert.Equal(0.25, Mean.Instance.Aggregate(new ReadOnlyMemory<double>[] { new[] { 0.0 }, new[] { 0.0 }, new[] { 0.0 }, new[] { 1.0 } })[0]);
    }
}
