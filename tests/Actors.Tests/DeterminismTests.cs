using System.Globalization;
using Decentral.Actors;
using Xunit.Abstractions;

namespace Decentral.Actors.Tests;

/// <summary>A seed fixes the interleaving: same seed, same trace; different seed, different trace.</summary>
public sealed class DeterminismTests(ITestOutputHelper output)
{
    private const int Actors = 10;
    private const int Systems = 3;
    private const int Messages = 1_000;

    /// <summary>
    /// Passes a hop counter around: each actor forwards to the actor (hop mod 10), which lives in system
    /// (index mod 3), so most hops cross the simulated network. Several tokens run at once, so their
    /// events tie in virtual time and the seed decides the order.
    /// </summary>
    private sealed class Hopper(IReadOnlyList<string> paths, int budget) : ReceiveActor
    {
        protected internal override void PreStart() => Receive<int>(hop =>
        {
            if (hop < budget)
            {
                Context.System.ResolveRef(paths[(hop * 7 + 3) % paths.Count]).Tell(hop + 1, Self);
            }
        });
    }

    private static (ulong Hash, long Deliveries, List<string> Order) Run(long seed)
    {
        var sim = new Simulation(seed, new SimulationSettings { NetworkLatency = TimeSpan.Zero });
        var systems = Enumerable.Range(1, Systems).Select(i => sim.CreateSystem("c" + i)).ToList();
        var paths = Enumerable.Range(0, Actors).Select(i => $"dct://c{(i % Systems) + 1}/user/a{i}").ToList();
        const int tokens = 10;
        var refs = new List<IActorRef>();
        for (var i = 0; i < Actors; i++)
        {
            refs.Add(systems[i % Systems].ActorOf(Props.Create(() => new Hopper(paths, Messages / tokens)), "a" + i));
        }

        var order = new List<string>();
        long deliveries = 0;
        sim.Trace = e =>
        {
            if (e.Kind == SimulationEventKind.Delivery && e.Message is int)
            {
                deliveries++;
                order.Add($"{e.Recipient}<-{e.Message}");
            }
        };
        for (var t = 0; t < tokens; t++)
        {
            refs[t].Tell(0, null);
        }

        sim.RunUntilIdle();
        return (sim.TraceHash, deliveries, order);
    }

    [Fact]
    public void Same_seed_gives_the_identical_delivery_trace()
    {
        var a = Run(42);
        var b = Run(42);
        output.WriteLine("trace hash for seed 42: " + a.Hash.ToString("x16", CultureInfo.InvariantCulture));

        // 10 tokens, each delivered at hops 0..100: 101 deliveries per token.
        Assert.Equal(10 * ((Messages / 10) + 1), a.Deliveries);
        Assert.Equal(a.Order, b.Order);
        Assert.Equal(a.Hash, b.Hash);
    }

    [Fact]
    public void Different_seeds_give_different_delivery_traces()
    {
        var a = Run(42);
        var b = Run(43);

        Assert.Equal(a.Deliveries, b.Deliveries);
        Assert.NotEqual(a.Order, b.Order);
        Assert.NotEqual(a.Hash, b.Hash);
    }

    [Fact]
    public void Trace_hash_covers_every_event_and_grows_with_the_run()
    {
        var sim = new Simulation(7);
        var system = sim.CreateSystem("c1");
        var echo = system.ActorOf(Props.Create(() => new EchoActor()), "e");
        var seen = 0L;
        sim.Trace = _ => seen++;
        var before = sim.TraceHash;

        echo.Tell("x", null);
        sim.RunUntilIdle();

        Assert.Equal(sim.EventCount, seen);
        Assert.True(seen > 0);
        Assert.NotEqual(before, sim.TraceHash);
    }
}
