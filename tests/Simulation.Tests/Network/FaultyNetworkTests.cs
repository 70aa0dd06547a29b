using Akka.Actor;
using Decentral.Nodes.Network;
using Decentral.TestKit;
using Xunit.Abstractions;

namespace Decentral.Simulation.Tests.Network;

/// <summary>
/// The network between clusters, on Akka's TestKit: probes stand for nodes of two endpoints, and
/// every message between them goes through a <see cref="LinkRef"/>.
/// </summary>
public sealed class FaultyNetworkTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    private (FaultyNetwork Network, IActorRef AToB, Akka.TestKit.TestProbe B) Pair(TimeSpan latency = default)
    {
        var network = new FaultyNetwork(SystemNetworkClock.Instance, 42, latency);
        network.AddEndpoint("a");
        network.AddEndpoint("b");
        var b = CreateTestProbe("b");
        var provider = ((ExtendedActorSystem)Sys).Provider;
        var link = new LinkRef(network, "a", "b", b.Ref.Path, () => b.Ref, provider);
        return (network, link, b);
    }

    [Fact]
    public void Healthy_link_delivers_in_order()
    {
        var (network, link, b) = Pair(TimeSpan.FromMilliseconds(2));
        for (var i = 0; i < 50; i++)
        {
            link.Tell(i);
        }

        Within(TimeSpan.FromSeconds(5), () =>
        {
            for (var i = 0; i < 50; i++)
            {
                b.ExpectMsg(i);
            }
        });
        Assert.Equal(50, network.SentCount);
        Assert.Equal(0, network.DroppedCount + network.BlackholedCount);
    }

    [Fact]
    public void Delayed_link_stays_first_in_first_out()
    {
        var (network, link, b) = Pair();
        network.SetDelay("a", "b", DelayDistribution.Uniform(TimeSpan.Zero, TimeSpan.FromMilliseconds(20)));
        for (var i = 0; i < 30; i++)
        {
            link.Tell(i);
        }

        for (var i = 0; i < 30; i++)
        {
            b.ExpectMsg(i, TimeSpan.FromSeconds(5));
        }

        Assert.True(network.DelayedCount > 0);
    }

    [Fact]
    public void Partition_drops_until_heal_and_heal_restores_delivery()
    {
        var (network, link, b) = Pair();
        network.Partition(["a"], ["b"]);
        link.Tell("lost");
        b.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(1, network.BlackholedCount);
        network.Heal();
        link.Tell("found");
        b.ExpectMsg("found");
    }

    [Fact]
    public void One_way_partition_cuts_one_direction_only()
    {
        var (network, _, _) = Pair();
        network.PartitionOneWay(["a"], ["b"]);
        Assert.True(network.GetLink("a", "b").Blackholed);
        Assert.False(network.GetLink("b", "a").Blackholed);
    }

    [Fact]
    public void Drop_probability_one_drops_everything_and_counts_it()
    {
        var (network, link, b) = Pair();
        network.SetDropProbability("a", "b", 1.0);
        for (var i = 0; i < 10; i++)
        {
            link.Tell(i);
        }

        b.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(10, network.DroppedCount);
    }

    [Fact]
    public void Duplicate_probability_one_delivers_each_message_twice()
    {
        var (network, link, b) = Pair();
        network.SetDuplicateProbability("a", "b", 1.0);
        link.Tell("x");
        b.ExpectMsg("x");
        b.ExpectMsg("x");
        Assert.Equal(1, network.DuplicatedCount);
    }

    [Fact]
    public void The_delivered_sender_is_the_link_back_and_a_reply_crosses_the_network()
    {
        var (network, link, b) = Pair();
        var a = CreateTestProbe("a");
        var provider = ((ExtendedActorSystem)Sys).Provider;
        var back = new LinkRef(network, "b", "a", a.Ref.Path, () => a.Ref, provider);
        var forward = new LinkRef(network, "a", "b", b.Ref.Path, () => b.Ref, provider, _ => back);
        forward.Tell("ping", a.Ref);
        b.ExpectMsg("ping");
        Assert.Same(back, b.LastSender);
        network.Blackhole("b", "a", LinkDirection.Send);
        b.LastSender.Tell("pong");
        a.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        network.Heal();
        b.LastSender.Tell("pong");
        a.ExpectMsg("pong");
        Assert.NotNull(link);
    }

    [Fact]
    public void Unknown_endpoints_and_bad_probabilities_are_refused_with_their_names()
    {
        var (network, _, _) = Pair();
        var unknown = Assert.Throws<ArgumentException>(() => network.Partition(["a"], ["zz"]));
        Assert.Contains("zz", unknown.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => network.SetDropProbability("a", "b", 1.5));
        Assert.Throws<ArgumentException>(() => network.Partition(["a", "b"], ["b"]));
    }

    [Fact]
    public void A_crashed_recipient_loses_the_message_and_the_link_counts_it()
    {
        var network = new FaultyNetwork(SystemNetworkClock.Instance, 1, TimeSpan.Zero);
        network.AddEndpoint("a");
        network.AddEndpoint("b");
        var provider = ((ExtendedActorSystem)Sys).Provider;
        var link = new LinkRef(network, "a", "b", Sys.DeadLetters.Path, () => null, provider);
        link.Tell("to nobody");
        AwaitCondition(() => link.Undeliverable == 1, TimeSpan.FromSeconds(3));
    }
}
