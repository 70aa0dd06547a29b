using Decentral.Nodes.Objectives;
using Akka.Actor;
using Decentral.Agreement;
using Decentral.Nodes.Data;
using Decentral.Nodes.Optimization;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Runtime;
using Decentral.Nodes.Training;
using Xunit.Abstractions;

namespace Decentral.Simulation.Tests.Core;

/// <summary>The simulator runs real Akka actors deterministically in virtual time.</summary>
public sealed class SimulatorTests(ITestOutputHelper output)
{
    internal static ClusterRunSpec SmallSpec(ulong seed, int iterations = 40) => new()
    {
        Training = new TrainingSpec
        {
            Data = SyntheticData.Logistic(200, 5, seed).Data,
            Model = LinearModels.LogisticL2(0.01),
            BatchSize = 16,
            StepSize = StepSize.InverseTime(1.0, 50),
            ComputeTime = Nodes.Compute.ComputeTimeKind.Poisson,
            ComputeScale = 0.002,
            Seed = seed,
        },
        Protocol = new ProtocolOptions { Layout = ClusterLayout.Uniform(3, 2), Quorum = QuorumRule.Processes, Iterations = iterations, Rounds = 2, FinalRounds = 5 },
        Seed = seed,
        NetworkLatency = TimeSpan.FromMilliseconds(1),
        ResendInterval = TimeSpan.FromMilliseconds(50),
    };

    private (ulong Hash, long Events, double Loss) RunCluster(long seed)
    {
        using var simulator = new Simulator(seed);
        using (var runtime = SimulatedClusters.Create(SmallSpec(1), simulator))
        {
            Assert.True(runtime.RunSimulated(TimeSpan.FromMinutes(5)), "the simulated run did not finish");
            Assert.Equal(0, simulator.ForeignEnqueues);
            var hash = simulator.TraceHash;
            var events = simulator.EventCount;
            var loss = runtime.Summarize(true).Final.Loss;
            output.WriteLine($"seed {seed}: {events} events, virtual {simulator.Now.TotalMilliseconds} ms, hash {hash:X16}, loss {loss:R}");
            return (hash, events, loss);
        }
    }

    [Fact]
    public void Same_seed_gives_the_same_trace_and_another_seed_another()
    {
        var a = RunCluster(11);
        var b = RunCluster(11);
        var c = RunCluster(12);
        Assert.Equal(a, b);
        Assert.NotEqual(a.Hash, c.Hash);
    }

    [Fact]
    public void Timers_fire_at_exact_virtual_instants_and_time_only_moves_when_asked()
    {
        using var simulator = new Simulator(3);
        var system = simulator.CreateSystem("timers");
        var ticks = new List<TimeSpan>();
        var ticker = system.ActorOf(Props.Create(() => new Ticker(TimeSpan.FromMilliseconds(10), ticks)), "ticker");
        simulator.Advance(TimeSpan.FromMilliseconds(95));
        Assert.Equal(TimeSpan.FromMilliseconds(95), simulator.Now);
        Assert.Equal(Enumerable.Range(1, 9).Select(i => TimeSpan.FromMilliseconds(10 * i)), ticks);
        system.Stop(ticker);
        simulator.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(TimeSpan.FromMilliseconds(295), simulator.Now);
        Assert.Equal(9, ticks.Count);
        Assert.Equal(0, simulator.ForeignEnqueues);
    }

    [Fact]
    public void Run_until_stops_at_the_exact_event_that_makes_the_condition_true()
    {
        using var simulator = new Simulator(5);
        var system = simulator.CreateSystem("timers");
        var ticks = new List<TimeSpan>();
        system.ActorOf(Props.Create(() => new Ticker(TimeSpan.FromMilliseconds(7), ticks)), "ticker");
        Assert.True(simulator.RunUntil(() => ticks.Count == 3, TimeSpan.FromSeconds(1)));
        Assert.Equal(TimeSpan.FromMilliseconds(21), simulator.Now);
        Assert.False(simulator.RunUntil(() => ticks.Count == 100, TimeSpan.FromMilliseconds(50)));
        Assert.Equal(TimeSpan.FromMilliseconds(71), simulator.Now);
    }

    [Fact]
    public void Shutdown_drops_pending_callbacks_instead_of_running_them()
    {
        var simulator = new Simulator(9);
        simulator.CreateSystem("c1");
        var ran = false;
        simulator.Schedule(TimeSpan.FromMilliseconds(1), () => ran = true);
        Assert.True(simulator.Shutdown());
        Assert.False(ran);
        simulator.Dispose();
    }

    [Fact]
    public void A_second_system_with_the_same_name_is_refused()
    {
        using var simulator = new Simulator(1);
        simulator.CreateSystem("c1");
        var e = Assert.Throws<ArgumentException>(() => simulator.CreateSystem("c1"));
        Assert.Contains("c1", e.Message, StringComparison.Ordinal);
    }

    private sealed class Ticker : ReceiveActor, IWithTimers
    {
        public Ticker(TimeSpan period, List<TimeSpan> ticks)
        {
            Receive<string>(_ => ticks.Add(Context.System.Scheduler.MonotonicClock));
            this.period = period;
        }

        private readonly TimeSpan period;

        public ITimerScheduler Timers { get; set; } = null!;

        protected override void PreStart() => Timers.StartPeriodicTimer("tick", "tick", period);
    }
}
