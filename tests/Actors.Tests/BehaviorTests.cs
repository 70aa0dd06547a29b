using System.Buffers;
using System.Text;
using Decentral.Actors;
using Decentral.TestKit;
using Xunit.Abstractions;

namespace Decentral.Actors.Tests;

public sealed class BehaviorTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    /// <summary>Closed until "open"; while closed it stashes requests, then answers them in order.</summary>
    private sealed class Gate : ReceiveActor
    {
        public Gate()
        {
            Receive<string>(s => s == "open", _ =>
            {
                Become(Open);
                Stash.UnstashAll();
            });
            Receive<int>(_ => Stash.Stash());
        }

        private void Open()
        {
            Receive<int>(i => Sender.Tell(i * 10, Self));
            Receive<string>(s => s == "peek", _ => BecomeStacked(() =>
            {
                Receive<int>(i => Sender.Tell(-i, Self));
                Receive<string>(s => s == "back", _ => UnbecomeStacked());
            }));
        }
    }

    [Fact]
    public void Stash_and_become_replay_held_messages_in_order()
    {
        CreateSimulation();
        var system = CreateSystem("c1");
        var probe = CreateTestProbe(system);
        var gate = system.ActorOf(Props.Create(() => new Gate()), "gate");

        probe.Send(gate, 1);
        probe.Send(gate, 2);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(10));
        probe.Send(gate, "open");
        probe.Send(gate, 3);

        Assert.Equal([10, 20, 30], probe.ReceiveN(3).Cast<int>());
    }

    [Fact]
    public void BecomeStacked_and_UnbecomeStacked_switch_back_and_forth()
    {
        CreateSimulation();
        var system = CreateSystem("c1");
        var probe = CreateTestProbe(system);
        var gate = system.ActorOf(Props.Create(() => new Gate()), "gate");
        probe.Send(gate, "open");

        probe.Send(gate, "peek");
        probe.Send(gate, 4);
        probe.Send(gate, "back");
        probe.Send(gate, 4);

        Assert.Equal([-4, 40], probe.ReceiveN(2).Cast<int>());
    }

    [Fact]
    public void PoisonPill_stops_after_earlier_messages_and_Kill_stops_through_supervision()
    {
        CreateSimulation();
        var system = CreateSystem("c1");
        var probe = CreateTestProbe(system);
        var echo = system.ActorOf(Props.Create(() => new EchoActor()), "echo");
        var victim = system.ActorOf(Props.Create(() => new EchoActor()), "victim");
        probe.Watch(echo);
        probe.Watch(victim);

        probe.Send(echo, "before");
        probe.Send(echo, PoisonPill.Instance);
        probe.Send(echo, "after");
        victim.Tell(Kill.Instance, null);

        Assert.Equal("before", probe.FishForMessage(m => m is string));
        AwaitAssert(() => Assert.True(system.DeadLetterCount >= 1));
        var terminated = new[] { probe.FishForMessage(m => m is Terminated), probe.FishForMessage(m => m is Terminated) };
        Assert.Equal(
            new[] { echo.Path.ToString(), victim.Path.ToString() }.Order(),
            terminated.Cast<Terminated>().Select(t => t.ActorRef.Path.ToString()).Order());
    }

    [Fact]
    public void A_local_ref_carried_into_another_system_still_goes_through_the_fault_layer()
    {
        CreateSimulation();
        var c1 = CreateSystem("c1");
        var c2 = CreateSystem("c2");
        var probe = CreateTestProbe(c1);
        var relay = c2.ActorOf(Props.Create(() => new FuncActor((_, m) =>
        {
            if (m is IActorRef target)
            {
                target.Tell("via c2", null);
            }

            return true;
        })), "relay");

        Faults.Blackhole("c2", "c1", LinkDirection.Send);
        relay.Tell(probe.Ref, null);
        probe.ExpectNoMsg(TimeSpan.FromSeconds(1));
        Assert.Equal(1, Faults.Network.BlackholedCount);

        Faults.Heal();
        relay.Tell(probe.Ref, null);
        probe.ExpectMsg("via c2");
    }

    /// <summary>UTF-8 strings only: enough to show every message crosses the transport as bytes.</summary>
    private sealed class StringSerializer : IMessageSerializer
    {
        public int Count { get; private set; }

        public void Serialize(object message, IBufferWriter<byte> output)
        {
            Count++;
            output.Write(Encoding.UTF8.GetBytes((string)message));
        }

        public object Deserialize(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
    }

    [Fact]
    public void In_memory_transport_round_trips_messages_through_a_serializer_when_given_one()
    {
        var serializer = new StringSerializer();
        var transport = new InMemoryTransport(TimeProvider.System, TimeSpan.Zero, serializer);
        var c1 = CreateSystem("s1", new ActorSystemSettings { Transport = transport });
        var c2 = CreateSystem("s2", new ActorSystemSettings { Transport = transport });
        var probe = CreateTestProbe(c2, "p");
        var original = new string('x', 3);

        c1.ResolveRef(probe.Path).Tell(original, null);

        var received = probe.ExpectMsg<string>(TimeSpan.FromSeconds(30));
        Assert.Equal(original, received);
        Assert.NotSame(original, received);
        Assert.Equal(1, serializer.Count);
    }
}
