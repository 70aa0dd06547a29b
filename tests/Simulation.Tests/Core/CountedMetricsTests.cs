using Decentral.Nodes.Metrics;
using Decentral.TestKit;
using Xunit.Abstractions;

namespace Decentral.Simulation.Tests.Core;

/// <summary>The metrics' message and byte figures are counted where they happen, not derived from other counts.</summary>
public sealed class CountedMetricsTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    [Fact]
    public void Dropped_messages_are_those_the_fault_layer_dropped_and_model_bytes_are_counted_per_message()
    {
        var spec = SimulatorTests.SmallSpec(3, iterations: 60) with { MetricsEvery = 1 };
        using var sink = new InMemoryMetricsSink();
        using var cluster = LocalCluster.Simulated(spec, CreateSimulation(), LoggerFactory);
        cluster.Runtime.SetMetricsSink(sink);
        cluster.AwaitFrontier(10, TimeSpan.FromMinutes(1));
        Assert.All(cluster.Runtime.Nodes, n => Assert.Equal(0, n.MessagesDropped));

        cluster.Faults.Partition(["c1"], ["c2", "c3"]);
        cluster.AwaitFrontier(30, TimeSpan.FromMinutes(1));
        cluster.Faults.Heal();
        cluster.AwaitFinished(TimeSpan.FromMinutes(5));

        // Every message the network blackholed was some node's, and counted against that node.
        var perNode = cluster.Runtime.Nodes.Sum(n => n.MessagesDropped);
        Assert.True(cluster.Network.BlackholedCount > 0, "the partition dropped nothing");
        Assert.Equal(cluster.Network.BlackholedCount + cluster.Network.DroppedCount, perNode);
        Assert.True(cluster.Runtime.Nodes.Where(n => n.Name.StartsWith("c1/", StringComparison.Ordinal)).All(n => n.MessagesDropped > 0));

        var dimension = cluster.Node(0).Model.Length;
        var last = sink.For("c2/n1").Last();
        Assert.True(cluster.Runtime.Nodes[cluster.IndexOf("c2/n1")].MessagesDropped >= last.MessagesDropped);
        Assert.Equal(last.MessagesSent * dimension * sizeof(double), last.ModelBytesSent);
        Assert.Equal(last.MessagesReceived * dimension * sizeof(double), last.ModelBytesReceived);
    }
}
