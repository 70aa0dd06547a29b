using System.Diagnostics;
using Decentral.Actors;
using Decentral.TestKit;
using Xunit.Abstractions;

namespace Decentral.Actors.Tests;

/// <summary>
/// A few faults on the real thread pool. Absence is proven without sleeping: the link is FIFO, so once
/// a marker sent after the faulty traffic arrives, anything the fault let through would have arrived first.
/// </summary>
public sealed class FaultLayerThreadPoolTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private (ActorSystem C1, ActorSystem C2, TestProbe P2, FailureInjectorTransport Network) Setup(TimeSpan latency = default)
    {
        var network = new FailureInjectorTransport(new InMemoryTransport(TimeProvider.System, latency), TimeProvider.System, seed: 5);
        var c1 = CreateSystem("c1", new ActorSystemSettings { Transport = network });
        var c2 = CreateSystem("c2", new ActorSystemSettings { Transport = network });
        return (c1, c2, CreateTestProbe(c2, "p"), network);
    }

    [Fact]
    public void Blackholed_messages_never_arrive_and_pass_through_restores_the_link()
    {
        var (c1, c2, p2, network) = Setup();
        var target = c1.ResolveRef(p2.Path);
        network.Blackhole(c1.Address, c2.Address);

        for (var i = 0; i < 100; i++)
        {
            target.Tell(i, null);
        }

        network.PassThrough(c1.Address, c2.Address);
        target.Tell("marker", null);

        p2.ExpectMsg("marker", Generous);
        Assert.Equal(100, network.BlackholedCount);
    }

    [Fact]
    public void Drop_probability_one_drops_everything()
    {
        var (c1, c2, p2, network) = Setup();
        var target = c1.ResolveRef(p2.Path);
        network.SetDropProbability(c1.Address, c2.Address, 1.0);

        for (var i = 0; i < 100; i++)
        {
            target.Tell(i, null);
        }

        network.Heal();
        target.Tell("marker", null);

        p2.ExpectMsg("marker", Generous);
        Assert.Equal(100, network.DroppedCount);
    }

    [Fact]
    public void Duplication_delivers_every_message_twice_in_order()
    {
        var (c1, c2, p2, network) = Setup();
        var target = c1.ResolveRef(p2.Path);
        network.SetDuplicateProbability(c1.Address, c2.Address, 1.0);

        for (var i = 0; i < 50; i++)
        {
            target.Tell(i, null);
        }

        var received = p2.ReceiveN(100, Generous).Cast<int>();
        Assert.Equal(Enumerable.Range(0, 50).SelectMany(i => new[] { i, i }), received);
    }

    [Fact]
    public void Delay_holds_messages_at_least_that_long_and_keeps_order()
    {
        var (c1, c2, p2, network) = Setup();
        var target = c1.ResolveRef(p2.Path);
        var delay = TimeSpan.FromMilliseconds(100);
        network.SetDelay(c1.Address, c2.Address, DelayDistribution.Uniform(delay, delay * 2));
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < 20; i++)
        {
            target.Tell(i, null);
        }

        var received = p2.ReceiveN(20, Generous).Cast<int>();
        Assert.True(clock.Elapsed >= delay, $"arrived after {clock.Elapsed}, before the {delay} delay");
        Assert.Equal(Enumerable.Range(0, 20), received);
    }

    [Fact]
    public void Latency_of_the_in_memory_transport_keeps_fifo()
    {
        var (c1, _, p2, _) = Setup(TimeSpan.FromMilliseconds(5));
        var target = c1.ResolveRef(p2.Path);

        for (var i = 0; i < 200; i++)
        {
            target.Tell(i, null);
        }

        Assert.Equal(Enumerable.Range(0, 200), p2.ReceiveN(200, Generous).Cast<int>());
    }
}
