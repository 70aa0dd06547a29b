using Decentral.TestKit;
using Xunit.Abstractions;

namespace Decentral.Actors.Tests.Tcp;

/// <summary>
/// What every transport under the fault layer promises, run against each implementation (in-memory and
/// TCP): delivery between systems, FIFO per link, sender paths for replies, independence of links,
/// no exception for unreachable peers, and the fault layer's blackhole, partition and heal on top.
/// Each "process" is an actor system with its own view of the network (its fault layer); in-memory
/// systems share one, TCP systems each own a transport, as separate processes would. Absence is
/// proven without sleeping: links are FIFO, so a marker sent after the faulty traffic arrives last.
/// </summary>
public abstract class TransportContract(ITestOutputHelper output) : DecentralTestKit(output)
{
    protected static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    /// <summary>One actor system per name, each with the fault layer its sends go through.</summary>
    protected abstract IReadOnlyList<(ActorSystem System, FailureInjectorTransport Faults)> CreateSystems(params string[] names);

    /// <summary>The address of a system that does not exist (nothing listens there).</summary>
    protected abstract Address Nowhere(string name);

    [Fact]
    public void A_message_crosses_to_another_system()
    {
        var s = CreateSystems("a", "b");
        var probe = CreateTestProbe(s[1].System, "p");

        s[0].System.ResolveRef(probe.Path).Tell("hello", null);

        Assert.Equal("hello", probe.ExpectMsg<string>(Generous));
    }

    [Fact]
    public void Messages_on_one_link_arrive_in_order()
    {
        var s = CreateSystems("a", "b");
        var probe = CreateTestProbe(s[1].System, "p");
        var target = s[0].System.ResolveRef(probe.Path);

        for (var i = 0; i < 200; i++)
        {
            target.Tell(i, null);
        }

        Assert.Equal(Enumerable.Range(0, 200), probe.ReceiveN(200, Generous).Cast<int>());
    }

    [Fact]
    public void A_reply_reaches_the_sender_through_its_path()
    {
        var s = CreateSystems("a", "b");
        var echo = s[1].System.ActorOf(Props.Create(() => new EchoActor()), "echo");
        var probe = CreateTestProbe(s[0].System, "p");

        probe.Send(s[0].System.ResolveRef(echo.Path), "ping");

        Assert.Equal("ping", probe.ExpectMsg<string>(Generous));
        Assert.Equal(echo.Path, probe.LastSender!.Path);
    }

    [Fact]
    public void Two_senders_to_one_system_each_keep_their_order()
    {
        var s = CreateSystems("a", "b", "c");
        var probe = CreateTestProbe(s[2].System, "p");
        var fromA = s[0].System.ResolveRef(probe.Path);
        var fromB = s[1].System.ResolveRef(probe.Path);

        var sending = new[]
        {
            Task.Run(() => SendNumbered(fromA, "a", 300)),
            Task.Run(() => SendNumbered(fromB, "b", 300)),
        };
        Task.WaitAll(sending, Generous);

        var received = probe.ReceiveN(600, Generous).Cast<string>().ToList();
        foreach (var source in new[] { "a", "b" })
        {
            var numbers = received.Where(m => m.StartsWith(source + ":", StringComparison.Ordinal)).Select(m => int.Parse(m[2..], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(Enumerable.Range(0, 300), numbers);
        }
    }

    [Fact]
    public void Sending_to_an_unreachable_system_does_not_throw_or_disturb_other_links()
    {
        var s = CreateSystems("a", "b");
        var probe = CreateTestProbe(s[1].System, "p");
        var ghost = s[0].System.ResolveRef(new ActorPath(Nowhere("ghost"), ["user", "x"]));

        for (var i = 0; i < 10; i++)
        {
            ghost.Tell(i, null);
        }

        s[0].System.ResolveRef(probe.Path).Tell("still works", null);
        Assert.Equal("still works", probe.ExpectMsg<string>(Generous));
    }

    [Fact]
    public void Blackholed_messages_never_arrive_and_pass_through_restores_the_link()
    {
        var s = CreateSystems("a", "b");
        var (a, faults) = s[0];
        var b = s[1].System;
        var probe = CreateTestProbe(b, "p");
        var target = a.ResolveRef(probe.Path);
        faults.Blackhole(a.Address, b.Address, LinkDirection.Send);

        for (var i = 0; i < 50; i++)
        {
            target.Tell(i, null);
        }

        faults.PassThrough(a.Address, b.Address, LinkDirection.Send);
        target.Tell("marker", null);

        Assert.Equal("marker", probe.ExpectMsg<string>(Generous));
        Assert.Equal(50, faults.BlackholedCount);
    }

    [Fact]
    public void A_partition_separates_the_groups_until_heal()
    {
        var s = CreateSystems("a", "b", "c");
        var probeB = CreateTestProbe(s[1].System, "p");
        var probeC = CreateTestProbe(s[2].System, "p");
        var addresses = s.Select(x => x.System.Address).ToArray();
        foreach (var (_, faults) in s)
        {
            faults.Partition([addresses[0]], [addresses[1], addresses[2]]);
        }

        s[0].System.ResolveRef(probeB.Path).Tell("cut", null);
        s[1].System.ResolveRef(probeC.Path).Tell("same side", null);
        Assert.Equal("same side", probeC.ExpectMsg<string>(Generous));

        foreach (var (_, faults) in s)
        {
            faults.Heal();
        }

        s[0].System.ResolveRef(probeB.Path).Tell("healed", null);
        Assert.Equal("healed", probeB.ExpectMsg<string>(Generous));
    }

    [Fact]
    public void A_crashed_system_is_reachable_again_after_its_restart()
    {
        var s = CreateSystems("a", "b");
        var a = s[0].System;
        var b = s[1].System;
        var probe = CreateTestProbe(b, "p");
        var target = a.ResolveRef(probe.Path);
        target.Tell("before", null);
        Assert.Equal("before", probe.ExpectMsg<string>(Generous));

        b.Crash();
        target.Tell("while crashed", null);
        b.Restart();

        // Whatever was in flight during the crash is lost; sends after the restart get through (the TCP
        // link may first have to notice the old connection died and dial again, hence the retries).
        AwaitAssert(() =>
        {
            target.Tell("after", null);
            Assert.Equal("after", probe.FishForMessage<string>(m => m == "after", TimeSpan.FromMilliseconds(500)));
        }, Generous, TimeSpan.FromMilliseconds(10));
    }

    private static void SendNumbered(IActorRef target, string source, int count)
    {
        for (var i = 0; i < count; i++)
        {
            target.Tell(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{source}:{i}"), null);
        }
    }
}

/// <summary>The contract on the in-memory transport (with the test codec on the way, as TCP has).</summary>
public sealed class InMemoryTransportContractTests(ITestOutputHelper output) : TransportContract(output)
{
    private InMemoryTransport? _network;
    private FailureInjectorTransport? _faults;

    protected override IReadOnlyList<(ActorSystem System, FailureInjectorTransport Faults)> CreateSystems(params string[] names)
    {
        _network ??= new InMemoryTransport(TimeProvider.System, serializer: TestSerializer.Instance);
        _faults ??= new FailureInjectorTransport(_network, TimeProvider.System, seed: 11);
        return [.. names.Select(n => (CreateSystem(n, new ActorSystemSettings { Transport = _faults }), _faults))];
    }

    protected override Address Nowhere(string name) => new(name);
}

/// <summary>The contract on TCP over loopback: one transport (one "process") per system.</summary>
public sealed class TcpTransportContractTests(ITestOutputHelper output) : TransportContract(output)
{
    private readonly List<TcpTransport> _transports = [];

    internal static TcpTransportSettings Settings(string secret = "contract-secret") => new()
    {
        Secret = TcpTransportSettings.SecretFromText(secret),
        SendQueueCapacity = 10_000,
        ReconnectMinDelay = TimeSpan.FromMilliseconds(10),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
    };

    protected override IReadOnlyList<(ActorSystem System, FailureInjectorTransport Faults)> CreateSystems(params string[] names)
    {
        var addresses = names.Select(FreePorts.Loopback).ToArray();
        var result = new List<(ActorSystem, FailureInjectorTransport)>();
        foreach (var address in addresses)
        {
            var tcp = new TcpTransport(TestSerializer.Instance, Settings(), LoggerFactory);
            _transports.Add(tcp);
            var faults = new FailureInjectorTransport(tcp, TimeProvider.System, seed: 11);
            foreach (var other in addresses)
            {
                faults.AddKnownAddress(other);
            }

            result.Add((CreateSystem(address.System, new ActorSystemSettings { Transport = faults, Address = address }), faults));
        }

        return result;
    }

    protected override Address Nowhere(string name) => FreePorts.Loopback(name);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            foreach (var t in _transports)
            {
                t.Dispose();
            }
        }
    }
}
