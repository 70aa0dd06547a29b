using System.Net;
using System.Net.Sockets;
using Decentral.TestKit;
using Xunit.Abstractions;

namespace Decentral.Actors.Tests.Tcp;

/// <summary>
/// One connection per pair of systems: it carries both directions, two systems that dial each other at
/// once settle on the same one (the one dialed by the address that sorts first), heartbeats keep a quiet
/// connection open and a silent peer's connection is closed after the idle timeout.
/// </summary>
public sealed class TcpPeerPairTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    private const string Secret = "pair-secret";
    private const ulong RawIncarnation = 7;
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);
    private static readonly byte[] SecretBytes = TcpTransportSettings.SecretFromText(Secret);
    private readonly List<TcpTransport> _transports = [];

    [Fact]
    public void A_request_and_its_reply_travel_on_the_one_connection_the_requester_dialed()
    {
        var (a, aTcp) = Start("a");
        var (b, bTcp) = Start("b");
        var probeA = CreateTestProbe(a, "pa");
        var echo = b.ActorOf(Props.Create(() => new Echo()), "echo");

        a.ResolveRef(echo.Path).Tell("ping", probeA.Ref);
        Assert.Equal("ping", probeA.ExpectMsg<string>(Generous));

        Assert.Equal(1, aTcp.Counters.ConnectionsDialed);
        Assert.Equal(0, bTcp.Counters.ConnectionsDialed);
        Assert.Equal(1, bTcp.Counters.ConnectionsAccepted);
        var aLink = aTcp.Links.Single();
        var bLink = bTcp.Links.Single();
        Assert.True(aLink.DialedHere);
        Assert.False(bLink.DialedHere);
        Assert.Equal(1, aLink.OpenConnections);
        Assert.Equal(1, bLink.OpenConnections);
        Assert.Equal(1, bLink.FramesSent);
    }

    /// <summary>
    /// The node dialed a raw peer and is connected; then the raw peer dials the node too. Both ends must keep
    /// the connection dialed by the address that sorts first: a-raw's own, or the node's.
    /// </summary>
    [Theory]
    [InlineData("a-raw", true)]
    [InlineData("z-raw", false)]
    public void When_both_sides_dial_both_keep_the_connection_dialed_by_the_address_that_sorts_first(string rawName, bool rawWins)
    {
        var (node, nodeTcp) = Start("node");
        var probe = CreateTestProbe(node, "p");
        using var listener = RawListener(rawName, out var raw);
        var rawTarget = node.ResolveRef(new ActorPath(raw, ["system", "r"]));

        rawTarget.Tell("first", null);
        using var nodeDialed = RawPeer.Accept(listener);
        var nodeSession = nodeDialed.AcceptHandshake(raw, RawIncarnation, SecretBytes);
        Assert.Equal("first", nodeDialed.ReadMessage(nodeSession, raw, node.Address!));

        using var rawDialed = RawPeer.Connect(node.Address!);
        var rawSession = rawDialed.Handshake(raw, node.Address!, RawIncarnation, SecretBytes)!;
        Assert.NotNull(rawSession);
        AwaitCondition(() => nodeTcp.Links.Single().DialedHere == !rawWins, Generous, message: "the node did not switch to the preferred connection");

        rawTarget.Tell("second", null);
        if (rawWins)
        {
            // The node gave up its own dial: closed, and what follows comes on the raw peer's connection.
            Assert.True(nodeDialed.WaitClosed());
            Assert.Equal("second", rawDialed.ReadMessage(rawSession, raw, node.Address!));
        }
        else
        {
            // The node keeps writing on its own connection and still reads the raw peer's until the raw peer closes it.
            Assert.Equal("second", nodeDialed.ReadMessage(nodeSession, raw, node.Address!));
            rawDialed.SendFrame((byte)FrameKind.Data, 1, RawPeer.DataPayload(probe.Path, "on the losing connection"), rawSession);
            Assert.Equal("on the losing connection", probe.ExpectMsg<string>(Generous));
            rawDialed.Dispose();
            AwaitCondition(() => nodeTcp.Links.Single().OpenConnections == 1, Generous);
        }

        Assert.Equal(0, nodeTcp.Counters.RejectedConnections);
        Assert.Equal(0, nodeTcp.Counters.ConnectFailures);
    }

    [Fact]
    public void A_connection_from_a_restarted_peer_replaces_the_old_incarnations_connection_whoever_dialed_it()
    {
        var (node, nodeTcp) = Start("node");
        using var listener = RawListener("z-raw", out var raw);
        var rawTarget = node.ResolveRef(new ActorPath(raw, ["system", "r"]));

        // The node's own connection to incarnation 7, which the tie-break would otherwise keep.
        rawTarget.Tell("to the old incarnation", null);
        using var old = RawPeer.Accept(listener);
        var oldSession = old.AcceptHandshake(raw, RawIncarnation, SecretBytes);
        Assert.Equal("to the old incarnation", old.ReadMessage(oldSession, raw, node.Address!));

        // Incarnation 8 dials while 7's socket still looks open (a machine that lost power sends no FIN).
        using var restarted = RawPeer.Connect(node.Address!);
        var session = restarted.Handshake(raw, node.Address!, RawIncarnation + 1, SecretBytes)!;
        AwaitCondition(() => nodeTcp.Links.Single().PeerIncarnation == RawIncarnation + 1, Generous);

        rawTarget.Tell("to the new incarnation", null);
        Assert.Equal("to the new incarnation", restarted.ReadMessage(session, raw, node.Address!));
        Assert.True(old.WaitClosed());
        Assert.False(nodeTcp.Links.Single().DialedHere);
    }

    [Fact]
    public void A_dial_in_progress_is_abandoned_when_the_peer_connects_first_with_the_preferred_connection()
    {
        var (node, nodeTcp) = Start("node");
        using var listener = RawListener("a-raw", out var raw);

        // The node dials; the raw peer takes the socket but holds the handshake back.
        node.ResolveRef(new ActorPath(raw, ["system", "r"])).Tell("waiting", null);
        using var held = RawPeer.Accept(listener);
        using var rawDialed = RawPeer.Connect(node.Address!);
        var rawSession = rawDialed.Handshake(raw, node.Address!, RawIncarnation, SecretBytes)!;

        Assert.Equal("waiting", rawDialed.ReadMessage(rawSession, raw, node.Address!));
        Assert.True(held.WaitClosed());
        Assert.Equal(0, nodeTcp.Counters.ConnectFailures);
        Assert.Equal(0, nodeTcp.Counters.ConnectionsDialed);
    }

    [Fact]
    public void Two_systems_sending_to_each_other_at_once_end_with_one_connection_both_agree_on()
    {
        for (var round = 0; round < 5; round++)
        {
            var (a, aTcp) = Start("a" + round);
            var (b, bTcp) = Start("b" + round);
            var probeA = CreateTestProbe(a, "p");
            var probeB = CreateTestProbe(b, "p");
            var toB = a.ResolveRef(probeB.Path);
            var toA = b.ResolveRef(probeA.Path);
            toB.Tell("to b", null);
            toA.Tell("to a", null);

            Assert.Equal("to b", probeB.ExpectMsg<string>(Generous));
            Assert.Equal("to a", probeA.ExpectMsg<string>(Generous));
            AwaitCondition(() => aTcp.Links.Single().OpenConnections == 1 && bTcp.Links.Single().OpenConnections == 1, Generous, message: "two connections stayed open");
            Assert.NotEqual(aTcp.Links.Single().DialedHere, bTcp.Links.Single().DialedHere);

            // Messages keep flowing both ways on the connection that stayed.
            toB.Tell("again to b", null);
            toA.Tell("again to a", null);
            Assert.Equal("again to b", probeB.ExpectMsg<string>(Generous));
            Assert.Equal("again to a", probeA.ExpectMsg<string>(Generous));
            Assert.Equal(0, aTcp.Counters.RejectedConnections + bTcp.Counters.RejectedConnections);
        }
    }

    [Fact]
    public void Heartbeats_keep_a_quiet_connection_open_past_the_idle_timeout()
    {
        // The idle timeout is generous against a loaded test machine; 25 heartbeats still outlast it.
        static TcpTransportSettings Quick() => Settings() with { HeartbeatInterval = TimeSpan.FromMilliseconds(100), IdleTimeout = TimeSpan.FromSeconds(2) };
        var (a, aTcp) = Start("a", Quick());
        var (b, bTcp) = Start("b", Quick());
        var probe = CreateTestProbe(b, "p");
        a.ResolveRef(probe.Path).Tell("once", null);
        Assert.Equal("once", probe.ExpectMsg<string>(Generous));

        // 25 heartbeats each way (at least 2.5 s) span more than the idle timeout, with nothing else sent.
        var start = (aTcp.Counters.FramesReceived, bTcp.Counters.FramesReceived);
        AwaitCondition(() => aTcp.Counters.FramesReceived >= start.Item1 + 25 && bTcp.Counters.FramesReceived >= start.Item2 + 25, Generous);

        Assert.Equal(0, aTcp.Counters.IdleTimeouts + bTcp.Counters.IdleTimeouts);
        Assert.Equal(0, aTcp.Counters.Disconnects + bTcp.Counters.Disconnects);
        Assert.Equal(1, aTcp.Counters.ConnectionsDialed);
        Assert.Equal(TcpLinkState.Connected, aTcp.Links.Single().State);
        Assert.Equal(1, aTcp.Links.Single().FramesSent);
    }

    [Fact]
    public void A_peer_that_falls_silent_is_disconnected_after_the_idle_timeout()
    {
        var settings = Settings() with { HeartbeatInterval = TimeSpan.FromMilliseconds(40), IdleTimeout = TimeSpan.FromMilliseconds(250) };
        var (node, nodeTcp) = Start("node", settings);
        var probe = CreateTestProbe(node, "p");
        using var silent = RawPeer.Connect(node.Address!);
        var session = silent.Handshake(new Address("raw", "127.0.0.1", 1), node.Address!, RawIncarnation, SecretBytes)!;
        silent.SendFrame((byte)FrameKind.Data, 1, RawPeer.DataPayload(probe.Path, "last words"), session);
        Assert.Equal("last words", probe.ExpectMsg<string>(Generous));

        // The raw peer reads (it sees the node's heartbeats) but never writes again.
        Assert.True(silent.WaitClosed());
        Assert.Equal(1, nodeTcp.Counters.IdleTimeouts);
        AwaitCondition(() => nodeTcp.Links.Single().OpenConnections == 0, Generous);
        Assert.Contains("idle timeout", nodeTcp.Links.Single().LastError, StringComparison.Ordinal);
    }

    [Fact]
    public void An_idle_timeout_shorter_than_two_heartbeats_is_rejected()
    {
        var settings = Settings() with { HeartbeatInterval = TimeSpan.FromSeconds(1), IdleTimeout = TimeSpan.FromMilliseconds(1500) };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new TcpTransport(TestSerializer.Instance, settings));
        Assert.Contains("twice the heartbeat interval", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A listening socket standing for a raw peer system called <paramref name="name"/>; the test accepts its connections.</summary>
    private static TcpListener RawListener(string name, out Address address)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        address = new Address(name, "127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port);
        return listener;
    }

    private static TcpTransportSettings Settings() => TcpTransportContractTests.Settings(Secret);

    private (ActorSystem System, TcpTransport Tcp) Start(string name, TcpTransportSettings? settings = null)
    {
        var tcp = new TcpTransport(TestSerializer.Instance, settings ?? Settings(), LoggerFactory);
        _transports.Add(tcp);
        return (CreateSystem(name, new ActorSystemSettings { Transport = tcp, Address = FreePorts.Loopback(name) }), tcp);
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

    private sealed class Echo : ReceiveActor
    {
        public Echo() => Receive<string>(s => Sender.Tell(s, Self));
    }
}
