using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Decentral.Actors;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Wire;
using Decentral.TestKit;
using Xunit.Abstractions;

namespace Decentral.Nodes.Tests.Wire;

/// <summary>The codec as the TCP transport's serializer: models cross intact, a wrong-dimension model is dropped and counted, the link survives.</summary>
public sealed class WireOverTcpTests(ITestOutputHelper output) : DecentralTestKit(output)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);
    private readonly List<TcpTransport> _transports = [];

    private static Address Loopback(string name)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return new Address(name, "127.0.0.1", ((IPEndPoint)socket.LocalEndPoint!).Port);
    }

    private ActorSystem System(string name, IMessageSerializer codec)
    {
        var tcp = new TcpTransport(codec, new TcpTransportSettings { Secret = TcpTransportSettings.SecretFromText("s") }, LoggerFactory);
        _transports.Add(tcp);
        return CreateSystem(name, new ActorSystemSettings { Transport = tcp, Address = Loopback(name) });
    }

    [Fact]
    public void Models_cross_intact_and_a_wrong_dimension_is_dropped_without_closing_the_link()
    {
        var receiverCodec = new ProtocolWireCodec(new ProtocolWireOptions { Dimension = 3, ProcessCount = 4 });
        var receiver = System("c2", receiverCodec);
        var probe = CreateTestProbe(receiver, "p");

        // The sender encodes whatever dimension it is given; the receiver expects 3. Distinct senders,
        // so none supersedes another in the send queue.
        var sender = System("c1", new ProtocolWireCodec(new ProtocolWireOptions { Dimension = 3 }));
        var target = sender.ResolveRef(probe.Path);
        target.Tell(new ModelMessage(1, 0, [1, 2, 3]), null);
        target.Tell(new ModelMessage(2, 2, [1, 2, 3, 4]), null);
        target.Tell(new RoundMessage(2, 1, 1, [0.5, -0.5, 1e-300]), null);

        var first = probe.ExpectMsg<ModelMessage>(Generous);
        var second = probe.ExpectMsg<RoundMessage>(Generous);
        Assert.Equal([1.0, 2, 3], first.Vector);
        Assert.Equal([0.5, -0.5, 1e-300], second.Vector);
        var receiving = _transports[0];
        Assert.Equal(1, receiving.Counters.BadMessages);
        Assert.Equal(0, receiving.Counters.RejectedConnections);
        Assert.Equal(1, receiverCodec.Rejections[WireRejection.DimensionMismatch]);
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
