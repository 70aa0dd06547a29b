using Decentral.Actors;
using Decentral.TestKit;
using Xunit.Abstractions;

namespace Decentral.Actors.Tests;

/// <summary>Each fault of the fault layer, observed under the simulation.</summary>
public sealed class FaultLayerSimulationTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    private static readonly TimeSpan Latency = SimulationSettings.DefaultNetworkLatency;

    private (ActorSystem C1, ActorSystem C2, ActorSystem C3, TestProbe P1, TestProbe P2, TestProbe P3) Setup()
    {
        CreateSimulation();
        var c1 = CreateSystem("c1");
        var c2 = CreateSystem("c2");
        var c3 = CreateSystem("c3");
        return (c1, c2, c3, CreateTestProbe(c1, "p"), CreateTestProbe(c2, "p"), CreateTestProbe(c3, "p"));
    }

    /// <summary>Sends n sequence numbers from one system to a probe of another (test code sends as <paramref name="from"/>).</summary>
    private static void SendMany(ActorSystem from, TestProbe to, int n, int offset = 0)
    {
        var target = from.ResolveRef(to.Path);
        for (var i = 0; i < n; i++)
        {
            target.Tell(offset + i, null);
        }
    }

    [Fact]
    public void Blackhole_both_ways_stops_both_directions_and_spares_other_links()
    {
        var (c1, c2, c3, p1, p2, p3) = Setup();
        Faults.Blackhole("c1", "c2");

        SendMany(c1, p2, 10);
        SendMany(c2, p1, 10);
        SendMany(c1, p3, 1);

        Assert.Equal(0, p3.ExpectMsg<int>());
        p2.ExpectNoMsg(TimeSpan.FromSeconds(1));
        p1.ExpectNoMsg(TimeSpan.Zero);
        Assert.Equal(20, Faults.Network.BlackholedCount);
    }

    [Fact]
    public void One_way_blackhole_blocks_only_that_direction_and_pass_through_restores_it()
    {
        var (c1, c2, _, p1, p2, _) = Setup();
        Faults.Blackhole("c1", "c2", LinkDirection.Send);

        SendMany(c1, p2, 5);
        SendMany(c2, p1, 1);
        Assert.Equal(0, p1.ExpectMsg<int>());
        p2.ExpectNoMsg(TimeSpan.FromSeconds(1));

        Faults.PassThrough("c1", "c2");
        SendMany(c1, p2, 1, offset: 100);
        Assert.Equal(100, p2.ExpectMsg<int>());
        Assert.Equal(5, Faults.Network.BlackholedCount);
    }

    [Fact]
    public void Symmetric_partition_separates_groups_until_heal()
    {
        var (c1, c2, c3, p1, p2, p3) = Setup();
        Faults.Partition(["c1"], ["c2", "c3"]);

        SendMany(c1, p2, 1);
        SendMany(c3, p1, 1);
        SendMany(c2, p3, 1, offset: 7);

        Assert.Equal(7, p3.ExpectMsg<int>());
        p2.ExpectNoMsg(TimeSpan.FromSeconds(1));
        p1.ExpectNoMsg(TimeSpan.Zero);

        Faults.Heal();
        SendMany(c1, p2, 1, offset: 1);
        SendMany(c3, p1, 1, offset: 2);
        Assert.Equal(1, p2.ExpectMsg<int>());
        Assert.Equal(2, p1.ExpectMsg<int>());
    }

    [Fact]
    public void Asymmetric_partition_blocks_one_direction_only()
    {
        var (c1, c2, _, p1, p2, _) = Setup();
        Faults.PartitionOneWay(["c1"], ["c2"]);

        SendMany(c1, p2, 1);
        SendMany(c2, p1, 1, offset: 3);

        Assert.Equal(3, p1.ExpectMsg<int>());
        p2.ExpectNoMsg(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Constant_delay_adds_exactly_its_value_to_the_latency()
    {
        var (c1, _, _, _, p2, _) = Setup();
        var delay = TimeSpan.FromMilliseconds(50);
        Faults.Delay("c1", "c2", delay);
        var start = Simulation.Now;

        SendMany(c1, p2, 1);

        p2.ExpectMsg<int>();
        Assert.Equal(start + Latency + delay, Simulation.Now);
        Assert.Equal(1, Faults.Network.DelayedCount);
    }

    [Fact]
    public void Uniform_delay_stays_within_its_bounds_and_keeps_the_link_fifo()
    {
        var (c1, _, _, _, p2, _) = Setup();
        var min = TimeSpan.FromMilliseconds(10);
        var max = TimeSpan.FromMilliseconds(20);
        Faults.Delay("c1", "c2", DelayDistribution.Uniform(min, max));
        const int n = 200;
        var start = Simulation.Now;

        SendMany(c1, p2, n);
        var arrivals = new List<(int Value, TimeSpan At)>();
        for (var i = 0; i < n; i++)
        {
            arrivals.Add((p2.ExpectMsg<int>(), Simulation.Now - start));
        }

        Assert.Equal(Enumerable.Range(0, n), arrivals.Select(a => a.Value));
        Assert.All(arrivals, a => Assert.InRange(a.At, Latency + min, Latency + max));
    }

    [Fact]
    public void Delay_distributions_sample_their_documented_shapes()
    {
        var random = new SeededRandom(DecentralTestKit.SeedFor(nameof(Delay_distributions_sample_their_documented_shapes)));
        const int n = 20_000;
        var mean = TimeSpan.FromMilliseconds(5);
        var exponential = DelayDistribution.Exponential(mean);
        var samples = Enumerable.Range(0, n).Select(_ => exponential.Sample(random).TotalMilliseconds).ToArray();

        // Mean of n exponential(5 ms) samples: standard error 5/sqrt(n) ≈ 0.035 ms; allow 6 standard errors
        // plus the small bias the cut at 20 × mean introduces (e^-20, negligible).
        Assert.InRange(samples.Average(), 5 - (6 * 5 / Math.Sqrt(n)), 5 + (6 * 5 / Math.Sqrt(n)));
        Assert.All(samples, s => Assert.InRange(s, 0, 100));

        var uniform = DelayDistribution.Uniform(TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(4));
        var u = Enumerable.Range(0, n).Select(_ => uniform.Sample(random).TotalMilliseconds).ToArray();
        Assert.All(u, s => Assert.InRange(s, 2, 4));

        // Uniform on [2, 4]: mean 3, standard deviation 2/sqrt(12); standard error of the mean ≈ 0.0041.
        Assert.InRange(u.Average(), 3 - (6 * (2 / Math.Sqrt(12)) / Math.Sqrt(n)), 3 + (6 * (2 / Math.Sqrt(12)) / Math.Sqrt(n)));
        Assert.Equal(TimeSpan.FromMilliseconds(7), DelayDistribution.Constant(TimeSpan.FromMilliseconds(7)).Sample(random));
    }

    [Fact]
    public void Drop_probability_one_drops_everything_and_a_fraction_drops_a_binomial_share()
    {
        var (c1, c2, _, p1, p2, _) = Setup();
        Faults.Drop("c1", "c2", 1.0, LinkDirection.Send);
        SendMany(c1, p2, 50);
        p2.ExpectNoMsg(TimeSpan.FromSeconds(1));
        Assert.Equal(50, Faults.Network.DroppedCount);

        const int n = 2000;
        const double p = 0.3;
        Faults.Drop("c2", "c1", p, LinkDirection.Send);
        SendMany(c2, p1, n);
        Simulation.RunUntilIdle();
        var received = p1.MessageCount;

        // Binomial(n, 1 - p): mean 1400, standard deviation sqrt(n p (1 - p)) ≈ 20.5; allow 6 of them.
        var sd = Math.Sqrt(n * p * (1 - p));
        Assert.InRange(received, (n * (1 - p)) - (6 * sd), (n * (1 - p)) + (6 * sd));
        Assert.Equal(50 + (n - received), Faults.Network.DroppedCount);
    }

    [Fact]
    public void Duplication_delivers_copies_in_order()
    {
        var (c1, _, _, _, p2, _) = Setup();
        Faults.Duplicate("c1", "c2", 1.0);
        const int n = 20;

        SendMany(c1, p2, n);
        var received = p2.ReceiveN(2 * n).Cast<int>().ToList();

        Assert.Equal(Enumerable.Range(0, n).SelectMany(i => new[] { i, i }), received);
        Assert.Equal(n, Faults.Network.DuplicatedCount);
        p2.ExpectNoMsg(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Reordering_lets_later_messages_overtake_earlier_ones_and_loses_none()
    {
        var (c1, _, _, _, p2, _) = Setup();
        Faults.Reorder("c1", "c2", 1.0, TimeSpan.FromMilliseconds(50));
        const int n = 100;

        SendMany(c1, p2, n);
        var received = p2.ReceiveN(n).Cast<int>().ToList();

        Assert.Equal(Enumerable.Range(0, n), received.Order());
        Assert.NotEqual(Enumerable.Range(0, n), received);
        Assert.Equal(n, Faults.Network.ReorderedCount);
    }

    [Fact]
    public void Faults_naming_unknown_systems_throw_ArgumentException_with_the_name()
    {
        Setup();

        var blackhole = Assert.Throws<ArgumentException>(() => Faults.Blackhole("c1", "nowhere"));
        var partition = Assert.Throws<ArgumentException>(() => Faults.Partition(["c1"], ["ghost"]));
        var crash = Assert.Throws<ArgumentException>(() => Faults.Crash("c9/n1"));
        var actor = Assert.Throws<ArgumentException>(() => Faults.Crash("c1/missing"));

        Assert.Contains("nowhere", blackhole.Message, StringComparison.Ordinal);
        Assert.Contains("ghost", partition.Message, StringComparison.Ordinal);
        Assert.Contains("c9/n1", crash.Message, StringComparison.Ordinal);
        Assert.Contains("c1/missing", actor.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Faults.Drop("c1", "c2", 1.5));
    }
}
