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

    /// <summary>
    /// Clusters [s, s, s] under quorum=clusters, inputs 0, 0, 1 per cluster, and each receiver hearing all s
    /// members of its own cluster before one member of the next: two rounds of the mean leave the diameter at
    /// (s−1)/(s+1), above q = 3/4 once s ≥ 8. Counting each cluster once restores the bound.
    /// </summary>
    private static double TwoRoundDiameterOfMean(int s, bool oneValuePerCluster)
    {
        var layout = ClusterLayout.Uniform(3, s);
        double[] perCluster = [0, 0, 1];
        for (var round = 0; round < 2; round++)
        {
            var next = new double[3];
            for (var c = 0; c < 3; c++)
            {
                var mdaa = new Mdaa(layout, QuorumRule.Clusters, 1, 1, Mean.Instance, oneValuePerCluster: oneValuePerCluster);
                for (var j = 0; j < s; j++)
                {
                    mdaa.Receive(1, new ProcessId(c, j), new[] { perCluster[c] });
                }

                next[c] = mdaa.Receive(1, new ProcessId((c + 1) % 3, 0), new[] { perCluster[(c + 1) % 3] }).Advance!.Value.Span[0];
            }

            perCluster = next;
        }

        return perCluster.Max() - perCluster.Min();
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(20)]
    public void A_mean_weighted_by_messages_lets_big_clusters_outvote_the_shared_one(int s)
    {
        var q = ContractionBound.PerTwoRounds(3);
        Assert.Equal((s - 1.0) / (s + 1), TwoRoundDiameterOfMean(s, oneValuePerCluster: false), 12);
        Assert.Equal(s >= 8, TwoRoundDiameterOfMean(s, oneValuePerCluster: false) > q);
        // One value per cluster: every receiver averages its own cluster and the next, so each round halves.
        Assert.Equal(0.25, TwoRoundDiameterOfMean(s, oneValuePerCluster: true), 12);
    }
}
