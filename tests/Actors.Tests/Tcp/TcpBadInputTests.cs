using System.Buffers.Binary;
using Decentral.TestKit;
using Xunit.Abstractions;

namespace Decentral.Actors.Tests.Tcp;

/// <summary>
/// Bad input on a node's port: each case closes the connection, is counted under its reason, and
/// leaves the node serving: a well-behaved peer's message still arrives afterwards.
/// </summary>
public sealed class TcpBadInputTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    private const string Secret = "the-right-secret";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);
    private readonly List<TcpTransport> _transports = [];

    private (ActorSystem Node, TcpTransport Tcp, TestProbe Probe) StartNode(TcpTransportSettings? settings = null)
    {
        var address = FreePorts.Loopback("node");
        var tcp = Track(new TcpTransport(TestSerializer.Instance, settings ?? TcpTransportContractTests.Settings(Secret), LoggerFactory));
        var node = CreateSystem("node", new ActorSystemSettings { Transport = tcp, Address = address });
        return (node, tcp, CreateTestProbe(node, "p"));
    }

    /// <summary>A correct peer in its own "process": proves the node still serves after the bad input.</summary>
    private void AssertStillServing(TestProbe probe, string text = "still serving")
    {
        var sender = CreateSystem("good", new ActorSystemSettings
        {
            Transport = Track(new TcpTransport(TestSerializer.Instance, TcpTransportContractTests.Settings(Secret), LoggerFactory)),
            Address = FreePorts.Loopback("good"),
        });
        sender.ResolveRef(probe.Path).Tell(text, null);
        Assert.Equal(text, probe.ExpectMsg<string>(Generous));
    }

    [Fact]
    public void Random_bytes_close_the_connection_and_are_counted()
    {
        var (node, tcp, probe) = StartNode();
        var seed = SeedFor(nameof(Random_bytes_close_the_connection_and_are_counted));
        Output.WriteLine($"garbage seed {seed}");
        var garbage = new byte[8192];
        new Random((int)seed).NextBytes(garbage);

        using (var peer = RawPeer.Connect(node.Address))
        {
            peer.SendBytes(garbage);
            Assert.True(peer.WaitClosed(), "the node kept a connection that sent garbage open");
        }

        Assert.Equal(1, tcp.Counters.RejectedConnections);
        AssertStillServing(probe);
    }

    [Fact]
    public void An_oversized_length_prefix_is_rejected_before_anything_is_buffered()
    {
        var (node, tcp, probe) = StartNode();
        using (var peer = RawPeer.Connect(node.Address))
        {
            var prefix = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(prefix, int.MaxValue);
            peer.SendBytes(prefix);
            Assert.True(peer.WaitClosed());
        }

        Assert.Equal(1, tcp.Counters.OversizedFrames);
        AssertStillServing(probe);
    }

    [Fact]
    public void An_oversized_data_frame_after_the_handshake_is_rejected()
    {
        var settings = TcpTransportContractTests.Settings(Secret) with { MaxFrameBytes = 4096 };
        var (node, tcp, probe) = StartNode(settings);
        using (var peer = RawPeer.Connect(node.Address))
        {
            var session = peer.Handshake(FreePorts.Loopback("raw"), node.Address, 7, TcpTransportSettings.SecretFromText(Secret));
            Assert.NotNull(session);
            peer.SendFrame((byte)FrameKind.Data, 1, RawPeer.DataPayload(probe.Path, new string('x', 5000)), session);
            Assert.True(peer.WaitClosed());
        }

        Assert.Equal(1, tcp.Counters.OversizedFrames);
        AssertStillServing(probe);
    }

    [Fact]
    public void A_truncated_frame_is_counted_when_the_peer_leaves_mid_frame()
    {
        var (node, tcp, probe) = StartNode();
        using (var peer = RawPeer.Connect(node.Address))
        {
            var partial = new byte[4 + 50];
            BinaryPrimitives.WriteUInt32LittleEndian(partial, 100);
            peer.SendBytes(partial);
            peer.ShutdownSend();
            Assert.True(peer.WaitClosed());
        }

        AwaitCondition(() => tcp.Counters.TruncatedFrames == 1, Generous);
        AssertStillServing(probe);
    }

    [Fact]
    public void A_hello_with_the_wrong_secret_is_rejected_as_an_authentication_failure()
    {
        var (node, tcp, probe) = StartNode();
        using (var peer = RawPeer.Connect(node.Address))
        {
            var session = peer.Handshake(FreePorts.Loopback("raw"), node.Address, 7, TcpTransportSettings.SecretFromText("not-the-secret"));
            Assert.Null(session);
        }

        Assert.Equal(1, tcp.Counters.AuthFailures);
        Assert.Equal(0, tcp.Counters.ConnectionsAccepted);
        AssertStillServing(probe);
    }

    [Fact]
    public void A_transport_with_the_wrong_secret_never_delivers_and_both_sides_see_why()
    {
        var (_, tcp, probe) = StartNode();
        var intruderTcp = Track(new TcpTransport(TestSerializer.Instance, TcpTransportContractTests.Settings("wrong"), LoggerFactory));
        var intruder = CreateSystem("intruder", new ActorSystemSettings { Transport = intruderTcp, Address = FreePorts.Loopback("intruder") });

        intruder.ResolveRef(probe.Path).Tell("let me in", null);

        AwaitCondition(() => tcp.Counters.AuthFailures >= 1 && intruderTcp.Counters.ConnectFailures >= 1, Generous);
        Assert.Equal(0, tcp.Counters.ConnectionsAccepted);
        Assert.Contains("rejected", intruderTcp.Links.Single().LastError, StringComparison.Ordinal);

        // FIFO per process: the honest peer's message arrives; the intruder's, queued earlier, never does.
        AssertStillServing(probe);
        Assert.Equal(0, probe.MessageCount);
    }

    [Fact]
    public void A_replayed_sequence_number_closes_the_connection_after_the_genuine_frame()
    {
        var (node, tcp, probe) = StartNode();
        using (var peer = RawPeer.Connect(node.Address))
        {
            var session = peer.Handshake(FreePorts.Loopback("raw"), node.Address, 7, TcpTransportSettings.SecretFromText(Secret))!;
            var frame = RawPeer.DataPayload(probe.Path, "genuine");
            peer.SendFrame((byte)FrameKind.Data, 1, frame, session);
            peer.SendFrame((byte)FrameKind.Data, 1, frame, session);
            Assert.True(peer.WaitClosed());
        }

        Assert.Equal("genuine", probe.ExpectMsg<string>(Generous));
        Assert.Equal(1, tcp.Counters.ReplayedFrames);
        AssertStillServing(probe);
        Assert.Equal(0, probe.MessageCount);
    }

    [Fact]
    public void A_hello_recorded_for_another_challenge_is_a_replay()
    {
        var (node, tcp, probe) = StartNode();
        using (var peer = RawPeer.Connect(node.Address))
        {
            var stale = new byte[FrameFormat.NonceBytes];
            Assert.Null(peer.Handshake(FreePorts.Loopback("raw"), node.Address, 7, TcpTransportSettings.SecretFromText(Secret), echoNonce: stale));
        }

        Assert.Equal(1, tcp.Counters.ReplayedFrames);
        AssertStillServing(probe);
    }

    [Fact]
    public void A_retired_incarnation_cannot_connect_again()
    {
        var (node, tcp, probe) = StartNode();
        var secret = TcpTransportSettings.SecretFromText(Secret);
        var raw = FreePorts.Loopback("raw");
        using (var first = RawPeer.Connect(node.Address))
        {
            Assert.NotNull(first.Handshake(raw, node.Address, incarnation: 1, secret));
        }

        using (var restarted = RawPeer.Connect(node.Address))
        {
            Assert.NotNull(restarted.Handshake(raw, node.Address, incarnation: 2, secret));
        }

        using (var replay = RawPeer.Connect(node.Address))
        {
            Assert.Null(replay.Handshake(raw, node.Address, incarnation: 1, secret));
        }

        Assert.Equal(1, tcp.Counters.ReplayedFrames);
        AssertStillServing(probe);
    }

    [Fact]
    public void A_hello_for_an_address_not_served_here_is_an_unknown_peer()
    {
        var (node, tcp, probe) = StartNode();
        using (var peer = RawPeer.Connect(node.Address))
        {
            var challenge = peer.ReadFrame(FrameFormat.ChallengeKey)!.Value;
            var wrongTarget = new Address("other", node.Address.Host, node.Address.Port);
            var hello = new System.Buffers.ArrayBufferWriter<byte>();
            new HelloPayload(FreePorts.Loopback("raw"), wrongTarget, 7, new byte[16], ChallengePayload.Read(challenge.Payload)!.Nonce).Write(hello);
            peer.SendFrame((byte)FrameKind.Hello, 0, hello.WrittenSpan, TcpTransportSettings.SecretFromText(Secret));
            Assert.True(peer.WaitClosed());
        }

        Assert.Equal(1, tcp.Counters.UnknownPeers);
        AssertStillServing(probe);
    }

    [Fact]
    public void Data_before_the_handshake_is_malformed()
    {
        var (node, tcp, probe) = StartNode();
        using (var peer = RawPeer.Connect(node.Address))
        {
            peer.SendFrame((byte)FrameKind.Data, 0, RawPeer.DataPayload(probe.Path, "early"), TcpTransportSettings.SecretFromText(Secret));
            Assert.True(peer.WaitClosed());
        }

        Assert.Equal(1, tcp.Counters.MalformedFrames);
        AssertStillServing(probe);
        Assert.Equal(0, probe.MessageCount);
    }

    [Fact]
    public void A_silent_connection_is_closed_when_the_handshake_times_out()
    {
        var (node, tcp, probe) = StartNode(TcpTransportContractTests.Settings(Secret) with { HandshakeTimeout = TimeSpan.FromMilliseconds(200) });
        using (var peer = RawPeer.Connect(node.Address))
        {
            Assert.True(peer.WaitClosed());
        }

        Assert.Equal(1, tcp.Counters.HandshakeTimeouts);
        AssertStillServing(probe);
    }

    [Fact]
    public void An_authenticated_frame_whose_message_does_not_decode_is_dropped_and_the_connection_kept()
    {
        var (node, tcp, probe) = StartNode();
        using var peer = RawPeer.Connect(node.Address);
        var session = peer.Handshake(FreePorts.Loopback("raw"), node.Address, 7, TcpTransportSettings.SecretFromText(Secret))!;
        var bad = RawPeer.DataPayload(probe.Path, 42);
        bad[^5] = 99;
        peer.SendFrame((byte)FrameKind.Data, 1, bad, session);
        peer.SendFrame((byte)FrameKind.Data, 2, RawPeer.DataPayload(probe.Path, "after the bad one"), session);

        Assert.Equal("after the bad one", probe.ExpectMsg<string>(Generous));
        Assert.Equal(1, tcp.Counters.BadMessages);
        Assert.Equal(0, tcp.Counters.RejectedConnections);
    }

    [Fact]
    public void Binding_a_port_in_use_fails_with_a_message_naming_the_port()
    {
        var (node, _, _) = StartNode();
        using var second = new TcpTransport(TestSerializer.Instance, TcpTransportContractTests.Settings(Secret));

        var error = Assert.Throws<TransportBindException>(() => second.Bind(node.Address, _ => { }));

        Assert.Contains($"port {node.Address.Port} is already in use", error.Message, StringComparison.Ordinal);
        Assert.Equal(node.Address, error.Address);
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

    private TcpTransport Track(TcpTransport transport)
    {
        _transports.Add(transport);
        return transport;
    }
}
