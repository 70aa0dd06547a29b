using Decentral.Actors;
using Decentral.TestKit;
using Xunit.Abstractions;

namespace Decentral.Actors.Tests;

/// <summary>Stands in for a checkpoint store: passed in through Props, so it outlives any incarnation.</summary>
internal sealed class DurableStore
{
    public int Value { get; set; }

    public int PostStops { get; set; }

    public int Starts { get; set; }
}

internal sealed record Inc;

/// <summary>Counts in volatile state and in the durable store.</summary>
internal sealed class DurableCounter : ReceiveActor
{
    private int _volatile;

    public DurableCounter(DurableStore store)
    {
        Store = store;
        Receive<Inc>(_ =>
        {
            _volatile++;
            store.Value++;
        });
        Receive<Get>(_ => Sender.Tell((_volatile, store.Value), Self));
    }

    private DurableStore Store { get; }

    protected internal override void PreStart() => Store.Starts++;

    protected internal override void PostStop() => Store.PostStops++;
}

public sealed class CrashTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    [Fact]
    public void Crash_loses_volatile_state_and_restart_keeps_durable_state_without_PostStop()
    {
        CreateSimulation();
        var c1 = CreateSystem("c1");
        var probe = CreateTestProbe(c1);
        var store = new DurableStore();
        var node = c1.ActorOf(Props.Create(() => new DurableCounter(store)), "n1");
        for (var i = 0; i < 3; i++)
        {
            node.Tell(new Inc(), null);
        }

        node.Tell(new Get(), probe);
        Assert.Equal((3, 3), probe.ExpectMsg<(int, int)>());
        probe.Watch(node);
        Simulation.RunUntilIdle();

        Faults.Crash("c1/n1");
        probe.ExpectTerminated(node);
        node.Tell(new Inc(), null);
        Faults.Restart("c1/n1");
        node.Tell(new Get(), probe);

        Assert.Equal((0, 3), probe.ExpectMsg<(int, int)>());
        Assert.Equal(0, store.PostStops);
        Assert.Equal(2, store.Starts);
    }

    [Fact]
    public void Crash_discards_queued_messages()
    {
        CreateSimulation();
        var c1 = CreateSystem("c1");
        var probe = CreateTestProbe(c1);
        var store = new DurableStore();
        var node = c1.ActorOf(Props.Create(() => new DurableCounter(store)), "n1");
        Simulation.RunUntilIdle();
        for (var i = 0; i < 10; i++)
        {
            node.Tell(new Inc(), null);
        }

        c1.Crash(node);
        Simulation.RunUntilIdle();
        c1.Restart(node);
        node.Tell(new Get(), probe);

        Assert.Equal((0, 0), probe.ExpectMsg<(int, int)>());
        Assert.Equal(10, c1.CrashDroppedCount);
    }

    [Fact]
    public void Crashed_system_is_unreachable_until_restarted_with_fresh_actors_and_durable_state()
    {
        CreateSimulation();
        var c1 = CreateSystem("c1");
        var c2 = CreateSystem("c2");
        var probe = CreateTestProbe(c1);
        var store = new DurableStore();
        c2.ActorOf(Props.Create(() => new DurableCounter(store)), "n1");
        var remote = c1.ResolveRef("dct://c2/user/n1");
        remote.Tell(new Inc(), null);
        remote.Tell(new Get(), probe);
        Assert.Equal((1, 1), probe.ExpectMsg<(int, int)>());

        Faults.Crash("c2");
        remote.Tell(new Inc(), null);
        remote.Tell(new Get(), probe);
        probe.ExpectNoMsg(TimeSpan.FromSeconds(1));
        Assert.True(c2.IsCrashed);
        Assert.Equal(2, Simulation.Transport.UndeliverableCount);

        Faults.Restart("c2");
        remote.Tell(new Get(), probe);
        Assert.Equal((0, 1), probe.ExpectMsg<(int, int)>());
        Assert.Equal(0, store.PostStops);
    }

    [Fact]
    public void Messages_told_directly_to_a_crashed_system_are_dropped_and_counted()
    {
        CreateSimulation();
        var c1 = CreateSystem("c1");
        var store = new DurableStore();
        var node = c1.ActorOf(Props.Create(() => new DurableCounter(store)), "n1");
        c1.Crash();

        node.Tell(new Inc(), null);
        node.Tell(new Inc(), null);
        Simulation.RunUntilIdle();

        Assert.Equal(2, c1.CrashDroppedCount);
        Assert.Equal(0, store.Value);
    }

    [Fact]
    public void Restart_of_something_not_crashed_is_refused()
    {
        CreateSimulation();
        var c1 = CreateSystem("c1");
        var node = c1.ActorOf(Props.Create(() => new EchoActor()), "n1");

        Assert.Throws<InvalidOperationException>(() => c1.Restart(node));
        Assert.Throws<InvalidOperationException>(() => c1.Restart());
        Assert.Throws<ArgumentException>(() => Faults.Restart("c1/n1"));
    }

    [Fact]
    public void Crash_and_restart_on_the_thread_pool()
    {
        var c1 = CreateSystem("tp");
        var probe = CreateTestProbe(c1);
        var store = new DurableStore();
        var node = c1.ActorOf(Props.Create(() => new DurableCounter(store)), "n1");
        probe.Watch(node);
        node.Tell(new Inc(), null);
        node.Tell(new Get(), probe);
        Assert.Equal((1, 1), probe.ExpectMsg<(int, int)>(TimeSpan.FromSeconds(30)));

        c1.Crash(node);
        probe.ExpectTerminated(node, TimeSpan.FromSeconds(30));
        c1.Restart(node);
        node.Tell(new Get(), probe);

        Assert.Equal((0, 1), probe.ExpectMsg<(int, int)>(TimeSpan.FromSeconds(30)));
    }
}
