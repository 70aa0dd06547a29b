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
