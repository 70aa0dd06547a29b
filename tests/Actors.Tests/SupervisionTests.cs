using Decentral.Actors;
using Decentral.TestKit;
using Xunit.Abstractions;

namespace Decentral.Actors.Tests;

public sealed class SupervisionTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    /// <summary>Creates one child from the given props and relays every message to it; its strategy is given.</summary>
    private sealed class Parent(Props childProps, SupervisorStrategy strategy, List<string>? lifecycle = null) : ReceiveActor
    {
        private IActorRef? _child;

        protected internal override void PreStart()
        {
            lifecycle?.Add("parent PreStart");
            _child = Context.ActorOf(childProps, "child");
            Receive<string>(s => s == "child?", _ => Sender.Tell(_child!, Self));
            ReceiveAny(m => _child!.Tell(m, Sender));
        }

        protected internal override SupervisorStrategy SupervisorStrategy() => strategy;
    }

    [Fact]
    public void Restart_discards_volatile_state_and_runs_the_restart_hooks()
    {
        CreateSimulation();
        var system = CreateSystem("c1");
        var probe = CreateTestProbe(system);
        var lifecycle = new List<string>();
        var counter = system.ActorOf(Props.Create(() => new CounterActor(lifecycle)), "counter");

        counter.Tell(1, probe);
        counter.Tell(1, probe);
        counter.Tell(new Get(), probe);
        Assert.Equal(2, probe.ExpectMsg<int>());

        counter.Tell(new Boom("bad"), probe);
        counter.Tell(new Get(), probe);
        Assert.Equal(0, probe.ExpectMsg<int>());
        Assert.Equal(["PreStart", "PreRestart:bad", "PostStop", "PostRestart", "PreStart"], lifecycle);
    }

    [Fact]
    public void Resume_keeps_state()
    {
        CreateSimulation();
        var system = CreateSystem("c1");
        var probe = CreateTestProbe(system);
        var resume = new OneForOneStrategy(_ => Directive.Resume);
        var parent = system.ActorOf(Props.Create(() => new Parent(Props.Create(() => new CounterActor(null)), resume)), "p");

        parent.Tell(1, probe);
        parent.Tell(new Boom("x"), probe);
        parent.Tell(1, probe);
        parent.Tell(new Get(), probe);

        Assert.Equal(2, probe.ExpectMsg<int>());
    }

    [Fact]
    public void Stop_directive_stops_the_child_and_watchers_see_Terminated()
    {
        CreateSimulation();
        var system = CreateSystem("c1");
        var probe = CreateTestProbe(system);
        var parent = system.ActorOf(Props.Create(() => new Parent(Props.Create(() => new CounterActor(null)), SupervisorStrategy.StoppingStrategy)), "p");
        parent.Tell("child?", probe);
        var child = probe.ExpectMsg<IActorRef>();
        probe.Watch(child);

        parent.Tell(new Boom("stop me"), probe);

        probe.ExpectTerminated(child);
        parent.Tell(new Get(), probe);
        probe.ExpectNoMsg(TimeSpan.FromSeconds(1));
        Assert.True(system.DeadLetterCount >= 1);
    }

    [Fact]
    public void Restart_rate_bound_stops_the_child_after_max_retries_within_the_window()
    {
        CreateSimulation();
        var system = CreateSystem("c1");
        var probe = CreateTestProbe(system);
        const int maxRetries = 3;
        var strategy = new OneForOneStrategy(maxRetries, TimeSpan.FromMinutes(1), SupervisorStrategy.DefaultDecider);
        var lifecycle = new List<string>();
        var parent = system.ActorOf(Props.Create(() => new Parent(Props.Create(() => new CounterActor(lifecycle)), strategy)), "p");
        parent.Tell("child?", probe);
        var child = probe.ExpectMsg<IActorRef>();
        probe.Watch(child);

        for (var i = 0; i < maxRetries; i++)
        {
            parent.Tell(new Boom("again"), probe);
        }

        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(maxRetries, lifecycle.Count(e => e == "PostRestart"));

        parent.Tell(new Boom("one too many"), probe);
        probe.ExpectTerminated(child);
        Assert.Equal(maxRetries, lifecycle.Count(e => e == "PostRestart"));
    }

    [Fact]
    public void Restart_window_resets_after_it_passes()
    {
        CreateSimulation();
        var system = CreateSystem("c1");
        var probe = CreateTestProbe(system);
        var strategy = new OneForOneStrategy(1, TimeSpan.FromSeconds(10), SupervisorStrategy.DefaultDecider);
        var lifecycle = new List<string>();
        var parent = system.ActorOf(Props.Create(() => new Parent(Props.Create(() => new CounterActor(lifecycle)), strategy)), "p");
        parent.Tell("child?", probe);
        var child = probe.ExpectMsg<IActorRef>();
        probe.Watch(child);

        parent.Tell(new Boom("first"), probe);
        probe.ExpectNoMsg(TimeSpan.FromSeconds(11));
        parent.Tell(new Boom("second, in a new window"), probe);
        probe.ExpectNoMsg(TimeSpan.FromSeconds(1));

        Assert.Equal(2, lifecycle.Count(e => e == "PostRestart"));
    }

    [Fact]
    public void Escalate_restarts_the_parent_through_the_grandparent()
    {
        CreateSimulation();
        var system = CreateSystem("c1");
        var probe = CreateTestProbe(system);
        var lifecycle = new List<string>();
        var escalate = new OneForOneStrategy(_ => Directive.Escalate);
        var middle = Props.Create(() => new Parent(Props.Create(() => new CounterActor(null)), escalate, lifecycle));
        var top = system.ActorOf(Props.Create(() => new Parent(middle, SupervisorStrategy.DefaultStrategy)), "top");

        top.Tell(1, probe);
        top.Tell(1, probe);
        top.Tell(new Boom("escalated"), probe);
        Simulation.RunUntilIdle();
        top.Tell(new Get(), probe);

        // The middle actor was restarted (PreStart twice), so its child is a fresh counter.
        Assert.Equal(0, probe.ExpectMsg<int>());
        Assert.Equal(2, lifecycle.Count(e => e == "parent PreStart"));
    }

    [Fact]
    public void Escalation_reaching_the_user_guardian_stops_the_top_level_actor_without_throwing()
    {
        CreateSimulation();
        var system = CreateSystem("c1");
        var probe = CreateTestProbe(system);
        var escalate = new OneForOneStrategy(_ => Directive.Escalate);
        var top = system.ActorOf(Props.Create(() => new Parent(Props.Create(() => new CounterActor(null)), escalate)), "top");
        probe.Watch(top);

        top.Tell(new Boom("to the top"), probe);

        probe.ExpectTerminated(top);
        Assert.False(system.IsTerminated);
    }

    [Fact]
    public void Constructor_failure_stops_the_actor_by_default()
    {
        CreateSimulation();
        var system = CreateSystem("c1");
        var probe = CreateTestProbe(system);
        var broken = system.ActorOf(Props.Create<FuncActor>(() => throw new InvalidOperationException("no")), "broken");
        probe.Watch(broken);

        probe.ExpectTerminated(broken);
    }

    [Fact]
    public void Failures_on_the_thread_pool_never_crash_the_process()
    {
        var system = CreateSystem("tp");
        var probe = CreateTestProbe(system);
        var counter = system.ActorOf(Props.Create(() => new CounterActor(null)), "counter");
        for (var i = 0; i < 100; i++)
        {
            counter.Tell(new Boom("again " + i), null);
        }

        counter.Tell(1, null);
        counter.Tell(new Get(), probe);

        Assert.Equal(1, probe.ExpectMsg<int>(TimeSpan.FromSeconds(30)));
    }
}
