using Decentral.Actors;
using Decentral.TestKit;
using Xunit.Abstractions;

namespace Decentral.Actors.Tests;

public sealed class DeathWatchTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    /// <summary>Watches the ref it is given and reports Terminated to the probe.</summary>
    private sealed class Watcher(IActorRef report) : ReceiveActor
    {
        protected internal override void PreStart()
        {
            Receive<IActorRef>(subject => Context.Watch(subject));
            Receive<(string Command, IActorRef Subject)>(c => c.Command == "unwatch", c => Context.Unwatch(c.Subject));
            Receive<Terminated>(t => report.Tell(t, Self));
        }
    }

    [Fact]
    public void Watcher_receives_Terminated_when_the_subject_stops()
    {
        CreateSimulation();
        var system = CreateSystem("c1");
        var probe = CreateTestProbe(system);
        var subject = system.ActorOf(Props.Create(() => new EchoActor()), "subject");
        var watcher = system.ActorOf(Props.Create(() => new Watcher(probe)), "watcher");
        watcher.Tell(subject, null);
        Simulation.RunUntilIdle();

        system.Stop(subject);

        var terminated = probe.ExpectMsg<Terminated>();
        Assert.Equal(subject.Path, terminated.ActorRef.Path);
    }

    [Fact]
    public void Watching_an_already_dead_actor_delivers_Terminated_at_once()
    {
        CreateSimulation();
        var system = CreateSystem("c1");
        var probe = CreateTestProbe(system);
        var subject = system.ActorOf(Props.Create(() => new EchoActor()), "subject");
        subject.Tell(PoisonPill.Instance, null);
        Simulation.RunUntilIdle();

        probe.Watch(subject);

        probe.ExpectTerminated(subject, TimeSpan.Zero);
    }

    [Fact]
    public void Unwatch_suppresses_Terminated()
    {
        CreateSimulation();
        var system = CreateSystem("c1");
        var probe = CreateTestProbe(system);
        var subject = system.ActorOf(Props.Create(() => new EchoActor()), "subject");
        var watcher = system.ActorOf(Props.Create(() => new Watcher(probe)), "watcher");
        watcher.Tell(subject, null);
        watcher.Tell(("unwatch", subject), null);
        Simulation.RunUntilIdle();

        system.Stop(subject);

        probe.ExpectNoMsg(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Stopping_a_parent_stops_its_children_first_and_both_are_reported()
    {
        CreateSimulation();
        var system = CreateSystem("c1");
        var probe = CreateTestProbe(system);
        var order = new List<string>();
        var parent = system.ActorOf(Props.Create(() => new FuncActor((ctx, m) =>
        {
            if (m is "spawn")
            {
                ctx.Sender.Tell(ctx.ActorOf(Props.Create(() => new StopRecorder("child", order)), "child"), ctx.Self);
            }

            return true;
        })), "parent");
        parent.Tell("spawn", probe);
        var child = probe.ExpectMsg<IActorRef>();
        probe.Watch(parent);
        probe.Watch(child);
        Simulation.RunUntilIdle();

        system.Stop(parent);

        var first = probe.ExpectMsg<Terminated>();
        var second = probe.ExpectMsg<Terminated>();
        Assert.Equal(child.Path, first.ActorRef.Path);
        Assert.Equal(parent.Path, second.ActorRef.Path);
        Assert.Equal(["child stopped"], order);
    }

    [Fact]
    public void Watch_on_the_thread_pool_delivers_Terminated()
    {
        var system = CreateSystem("tp");
        var probe = CreateTestProbe(system);
        var subject = system.ActorOf(Props.Create(() => new EchoActor()));
        probe.Watch(subject);
        probe.Send(subject, "ping");
        probe.ExpectMsg("ping", TimeSpan.FromSeconds(30));

        subject.Tell(PoisonPill.Instance, null);

        probe.ExpectTerminated(subject, TimeSpan.FromSeconds(30));
    }

    private sealed class StopRecorder(string name, List<string> order) : ReceiveActor
    {
        protected internal override void PostStop() => order.Add(name + " stopped");
    }
}

public sealed class RemoteWatchAndAskTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    [Fact]
    public void Remote_watch_reports_stop_and_crash_of_an_actor_in_another_system()
    {
        CreateSimulation();
        var c1 = CreateSystem("c1");
        var c2 = CreateSystem("c2");
        var probe = CreateTestProbe(c1);
        var a = c2.ActorOf(Props.Create(() => new EchoActor()), "a");
        var b = c2.ActorOf(Props.Create(() => new EchoActor()), "b");
        var remoteA = c1.ResolveRef(a.Path);
        var remoteB = c1.ResolveRef(b.Path);
        probe.Watch(remoteA);
        probe.Watch(remoteB);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        c2.Stop(a);
        probe.ExpectTerminated(remoteA);
        c2.Crash(b);
        probe.ExpectTerminated(remoteB);
    }

    [Fact]
    public void Remote_watch_of_a_missing_actor_reports_it_gone()
    {
        CreateSimulation();
        var c1 = CreateSystem("c1");
        CreateSystem("c2");
        var probe = CreateTestProbe(c1);
        var ghost = c1.ResolveRef("dct://c2/user/ghost");

        probe.Watch(ghost);

        probe.ExpectTerminated(ghost);
    }

    [Fact]
    public void Ask_completes_with_the_reply_and_times_out_in_virtual_time()
    {
        var sim = CreateSimulation();
        var c1 = CreateSystem("c1");
        var echo = c1.ActorOf(Props.Create(() => new EchoActor()), "echo");
        var silent = c1.ActorOf(Props.Create(() => new FuncActor((_, _) => true)), "silent");

        var reply = echo.Ask<string>("hi", TimeSpan.FromSeconds(1));
        var timeout = silent.Ask<string>("hi", TimeSpan.FromSeconds(2));
        sim.RunUntil(() => reply.IsCompleted, TimeSpan.FromSeconds(1));
        sim.RunUntil(() => timeout.IsCompleted, TimeSpan.FromSeconds(5));

        Assert.Equal("hi", reply.Result);
        Assert.IsType<TimeoutException>(timeout.Exception!.InnerException);
        Assert.Equal(TimeSpan.FromSeconds(2), sim.Now);
    }

    [Fact]
    public async Task Ask_on_the_thread_pool()
    {
        var system = CreateSystem("tp");
        var echo = system.ActorOf(Props.Create(() => new EchoActor()));

        Assert.Equal(5, await echo.Ask<int>(5, TimeSpan.FromSeconds(30)));
        await Assert.ThrowsAsync<InvalidCastException>(() => echo.Ask<string>(5, TimeSpan.FromSeconds(30)));
    }
}
