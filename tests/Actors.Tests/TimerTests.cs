using Decentral.Actors;
using Decentral.TestKit;
using Xunit.Abstractions;

namespace Decentral.Actors.Tests;

public sealed class TimerTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    /// <summary>Starts timers on command and reports each tick with the virtual instant it was handled at.</summary>
    private sealed class TimerActor(IActorRef report) : ReceiveActor
    {
        protected internal override void PreStart()
        {
            Receive<(string Kind, string Key, TimeSpan Delay)>(c =>
            {
                switch (c.Kind)
                {
                    case "single":
                        Timers.StartSingleTimer(c.Key, "tick:" + c.Key, c.Delay);
                        break;
                    case "periodic":
                        Timers.StartPeriodicTimer(c.Key, "tick:" + c.Key, c.Delay);
                        break;
                    default:
                        Timers.Cancel(c.Key);
                        break;
                }
            });
            Receive<string>(s => report.Tell((s, Context.System.Simulation!.Now), Self));
        }
    }

    [Fact]
    public void Single_timer_fires_at_the_exact_virtual_instant()
    {
        var sim = CreateSimulation();
        var system = CreateSystem("c1");
        var probe = CreateTestProbe(system);
        var actor = system.ActorOf(Props.Create(() => new TimerActor(probe)), "t");
        actor.Tell(("single", "a", TimeSpan.FromMilliseconds(250)), null);

        var (tick, at) = probe.ExpectMsg<(string, TimeSpan)>(TimeSpan.FromSeconds(1));

        Assert.Equal("tick:a", tick);
        Assert.Equal(TimeSpan.FromMilliseconds(250), at);
        Assert.Equal(TimeSpan.FromMilliseconds(250), sim.Now);
        probe.ExpectNoMsg(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Periodic_timer_fires_at_every_multiple_of_its_interval_until_cancelled()
    {
        CreateSimulation();
        var system = CreateSystem("c1");
        var probe = CreateTestProbe(system);
        var actor = system.ActorOf(Props.Create(() => new TimerActor(probe)), "t");
        var interval = TimeSpan.FromMilliseconds(100);
        actor.Tell(("periodic", "p", interval), null);

        var instants = Enumerable.Range(0, 5).Select(_ => probe.ExpectMsg<(string, TimeSpan)>().Item2).ToList();
        actor.Tell(("cancel", "p", TimeSpan.Zero), null);

        Assert.Equal(Enumerable.Range(1, 5).Select(k => interval * k), instants);
        probe.ExpectNoMsg(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Restarting_a_timer_key_replaces_the_old_timer()
    {
        CreateSimulation();
        var system = CreateSystem("c1");
        var probe = CreateTestProbe(system);
        var actor = system.ActorOf(Props.Create(() => new TimerActor(probe)), "t");
        actor.Tell(("single", "k", TimeSpan.FromSeconds(1)), null);
        actor.Tell(("single", "k", TimeSpan.FromSeconds(3)), null);

        var (_, at) = probe.ExpectMsg<(string, TimeSpan)>(TimeSpan.FromSeconds(5));

        Assert.Equal(TimeSpan.FromSeconds(3), at);
        probe.ExpectNoMsg(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Timers_stop_with_their_actor()
    {
        var sim = CreateSimulation();
        var system = CreateSystem("c1");
        var probe = CreateTestProbe(system);
        var actor = system.ActorOf(Props.Create(() => new TimerActor(probe)), "t");
        actor.Tell(("periodic", "p", TimeSpan.FromMilliseconds(10)), null);
        probe.ExpectMsg<(string, TimeSpan)>();

        system.Stop(actor);
        sim.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0, sim.RunUntilIdle());
        Assert.Equal(0, system.DeadLetterCount);
    }

    [Fact]
    public void Real_time_timer_fires()
    {
        var system = CreateSystem("tp");
        var probe = CreateTestProbe(system);
        var timed = system.ActorOf(Props.Create(() => new RealTimer(probe)));
        timed.Tell("start", null);

        probe.ExpectMsg("fired", TimeSpan.FromSeconds(30));
    }

    private sealed class RealTimer(IActorRef report) : ReceiveActor
    {
        protected internal override void PreStart()
        {
            Receive<string>(s => s == "start", _ => Timers.StartSingleTimer("once", "fired", TimeSpan.FromMilliseconds(20)));
            Receive<string>(s => report.Tell(s, Self));
        }
    }
}
