using Decentral.TestKit;
using Xunit.Abstractions;

namespace Decentral.Actors.Tests.Tcp;

/// <summary>Links over real sockets: reconnection after the peer process restarts, and superseding while a peer is down.</summary>
public sealed class TcpLinkTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);
    private readonly List<TcpTransport> _transports = [];

    private TcpTransport NewTransport()
    {
        var t = new TcpTransport(TestSerializer.Instance, TcpTransportContractTests.Settings(), LoggerFactory);
        _transports.Add(t);
        return t;
    }

    [Fact]
    public async Task A_link_reconnects_when_the_peer_process_restarts_on_the_same_address()
    {
        var bAddress = FreePorts.Loopback("b");
        var aTcp = NewTransport();
        var a = CreateSystem("a", new ActorSystemSettings { Transport = aTcp, Address = FreePorts.Loopback("a") });
        var bTcp = NewTransport();
        var b = ActorSystem.Create("b", new ActorSystemSettings { Transport = bTcp, Address = bAddress, LoggerFactory = LoggerFactory });
        var probe = CreateTestProbe(b, "p");
        a.ResolveRef(probe.Path).Tell("before", null);
        Assert.Equal("before", probe.ExpectMsg<string>(Generous));
        var firstIncarnation = aTcp.Links.Single().PeerIncarnation;

        // The peer "process" dies: its transport closes every socket.
        await b.Terminate().WaitAsync(Generous);
        await bTcp.DisposeAsync();
        AwaitCondition(() => aTcp.Links.Single().State != TcpLinkState.Connected, Generous, message: "a never noticed that b went away");

        var bTcp2 = NewTransport();
        var b2 = CreateSystem("b", new ActorSystemSettings { Transport = bTcp2, Address = bAddress });
        var probe2 = CreateTestProbe(b2, "p");
        a.ResolveRef(probe2.Path).Tell("after", null);

        Assert.Equal("after", probe2.ExpectMsg<string>(Generous));
        var link = aTcp.Links.Single();
        Assert.Equal(TcpLinkState.Connected, link.State);
        Assert.Equal(bTcp2.Incarnation, link.PeerIncarnation);
        Assert.NotEqual(firstIncarnation, link.PeerIncarnation);
        Assert.True(aTcp.Counters.ConnectionsDialed >= 2);
    }

    [Fact]
    public void While_the_peer_is_down_newer_messages_of_a_sender_supersede_queued_ones()
    {
        var bAddress = FreePorts.Loopback("b");
        var aTcp = NewTransport();
        var a = CreateSystem("a", new ActorSystemSettings { Transport = aTcp, Address = FreePorts.Loopback("a") });
        var probePath = new ActorPath(bAddress, ["system", "p"]);
        var target = a.ResolveRef(probePath);

        for (var stage = 1; stage <= 100; stage++)
        {
            target.Tell(new Versioned(Key: 3, Order: stage, $"stage {stage}"), null);
        }

        target.Tell("marker", null);
        Assert.Equal(99, aTcp.Counters.Superseded);
        Assert.Equal(2, aTcp.Links.Single().Queued);

        // b comes up with its probe in place before a's waiting link can reach it.
        var bTransport = new DeferredBindTransport(NewTransport());
        var b = CreateSystem("b", new ActorSystemSettings { Transport = bTransport, Address = bAddress });
        var probe = CreateTestProbe(b, "p");
        Assert.Equal(probePath, probe.Path);
        bTransport.Open();

        // FIFO: had any older stage been sent, it would arrive before the marker.
        Assert.Equal(new Versioned(3, 100, "stage 100"), probe.ExpectMsg<Versioned>(Generous));
        Assert.Equal("marker", probe.ExpectMsg<string>(Generous));
    }

    [Fact]
    public void A_message_larger_than_the_maximum_frame_is_not_sent_and_is_counted()
    {
        var settings = TcpTransportContractTests.Settings() with { MaxFrameBytes = 2048 };
        var aTcp = new TcpTransport(TestSerializer.Instance, settings, LoggerFactory);
        _transports.Add(aTcp);
        var a = CreateSystem("a", new ActorSystemSettings { Transport = aTcp, Address = FreePorts.Loopback("a") });
        var b = CreateSystem("b", new ActorSystemSettings { Transport = NewTransport(), Address = FreePorts.Loopback("b") });
        var probe = CreateTestProbe(b, "p");
        var target = a.ResolveRef(probe.Path);

        target.Tell(new string('x', 4000), null);
        target.Tell("small", null);

        Assert.Equal("small", probe.ExpectMsg<string>(Generous));
        Assert.Equal(1, aTcp.Counters.SendFailures);
    }

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
