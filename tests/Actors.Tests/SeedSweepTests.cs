using Decentral.Actors;
using Decentral.TestKit;
using Xunit.Abstractions;

namespace Decentral.Actors.Tests;

/// <summary>
/// Many seeds through a faulty simulated network, checking invariants that hold for every seed. A short
/// sweep runs always; set DECENTRAL_STRESS=1 for the long one (filter: Category=Stress).
/// </summary>
[Trait("Category", "Stress")]
public sealed class SeedSweepTests(ITestOutputHelper output)
{
    private const int ShortSweep = 20;
    private const int LongSweep = 2_000;
    private const int Messages = 300;

    private sealed class Collector(List<int> into) : ReceiveActor
    {
        protected internal override void PreStart() => Receive<int>(into.Add);
    }

    private static (List<int> Fifo, List<int> Reordered, FailureInjectorTransport Network, ulong Hash) Run(long seed)
    {
        var sim = new Simulation(seed);
        var c1 = sim.CreateSystem("c1");
        var c2 = sim.CreateSystem("c2");
        var c3 = sim.CreateSystem("c3");
        var fifo = new List<int>();
        var reordered = new List<int>();
        c2.ActorOf(Props.Create(() => new Collector(fifo)), "sink");
        c3.ActorOf(Props.Create(() => new Collector(reordered)), "sink");
        var net = sim.Network;
        net.SetDropProbability(c1.Address, c2.Address, 0.1);
        net.SetDuplicateProbability(c1.Address, c2.Address, 0.1);
        net.SetDelay(c1.Address, c2.Address, DelayDistribution.Exponential(TimeSpan.FromMilliseconds(3)));
        net.SetDropProbability(c1.Address, c3.Address, 0.1);
        net.SetDuplicateProbability(c1.Address, c3.Address, 0.1);
        net.SetReorder(c1.Address, c3.Address, 0.3, TimeSpan.FromMilliseconds(20));
        var to2 = c1.ResolveRef("dct://c2/user/sink");
        var to3 = c1.ResolveRef("dct://c3/user/sink");
        for (var i = 0; i < Messages; i++)
        {
            to2.Tell(i, null);
            to3.Tell(i, null);
        }

        sim.RunUntilIdle();
        return (fifo, reordered, net, sim.TraceHash);
    }

    [Fact]
    public void Every_seed_keeps_fifo_links_ordered_accounts_for_every_message_and_replays_identically()
    {
        var stress = Environment.GetEnvironmentVariable("DECENTRAL_STRESS") == "1";
        var seeds = stress ? LongSweep : ShortSweep;
        for (long seed = 1; seed <= seeds; seed++)
        {
            var (fifo, reordered, net, hash) = Run(seed);
            try
            {
                // Without reordering the link is FIFO: never a smaller number after a larger one.
                for (var i = 1; i < fifo.Count; i++)
                {
                    Assert.True(fifo[i] >= fifo[i - 1], $"FIFO broken at {i}: {fifo[i - 1]} then {fifo[i]}");
                }

                // Every envelope is delivered, dropped, or delivered once more as a duplicate.
                Assert.Equal((2 * Messages) - net.DroppedCount + net.DuplicatedCount, fifo.Count + reordered.Count);
                Assert.All(reordered, m => Assert.InRange(m, 0, Messages - 1));
                if (seed % 10 == 0)
                {
                    Assert.Equal(hash, Run(seed).Hash);
                }
            }
            catch
            {
                output.WriteLine($"Failing seed {seed}");
                throw;
            }
        }
    }
}
