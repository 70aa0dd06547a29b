using Akka.Actor;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;
using Decentral.TestKit;
using Xunit.Abstractions;

namespace Decentral.Simulation.Tests.Core;

/// <summary>A node actor drops and counts bad peer messages; it never crashes on them.</summary>
public sealed class NodeBadInputTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    [Fact]
    public void Wrong_dimension_non_finite_and_unknown_sender_are_dropped_and_counted_in_real_time()
    {
        var spec = SimulatorTests.SmallSpec(3, iterations: 400) with { NetworkLatency = TimeSpan.Zero };
        using var cluster = LocalCluster.RealTime(spec, LoggerFactory);
        cluster.AwaitCondition(() => cluster.Node(0).Model.Length > 0, TimeSpan.FromSeconds(30), "node 0 to publish its model");
        var node = cluster.Runtime.NodeRef(0)!;
        var dimension = cluster.Node(0).Model.Length;
        node.Tell(new ModelMessage(3, 1, new double[dimension + 1]), ActorRefs.NoSender);
        node.Tell(new ModelMessage(3, 1, [.. Enumerable.Repeat(double.NaN, dimension)]), ActorRefs.NoSender);
        node.Tell(new ModelMessage(3, 99, new double[dimension]), ActorRefs.NoSender);
        AwaitAssert(() => Assert.Equal(3, cluster.Events.Of<MessageRejected>().Count(r => r.Node == 0)), TimeSpan.FromSeconds(10));
        var reasons = cluster.Events.Of<MessageRejected>().Where(r => r.Node == 0).Select(r => r.Reason).ToList();
        Assert.Contains(reasons, r => r.Contains("vector length", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("NaN", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("unknown sender", StringComparison.Ordinal));
        cluster.AwaitFinished(TimeSpan.FromSeconds(60));
        Assert.False(cluster.Node(0).Crashed);
        Assert.True(cluster.Node(0).Finished);
    }
}
